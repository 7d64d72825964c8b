package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.store.redis.RedisServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month-end billing run as a user would do it, on a real cluster and on both backends: a month of
 * timestamped items for many tenants, every workers SIGKILLed (windows are durable like all time), then
 * daily and monthly counts, 7-day ranges and the month's export compared with a model, then an id erased
 * and every count that held it drops by one.
 */
class BillingRunIT {
    static final String WINDOWS = "windows: {day: 35, month: 13}\n";
    static final int TENANTS = 40;
    static final int DAYS = 30;

    @TempDir
    Path dir;

    @Test
    void billingRun_embeddedDatabase_everyWindowExportAndErasureExact() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, WINDOWS)) {
            billingRun(cluster);
        }
    }

    @Test
    void billingRun_redis_everyWindowExportAndErasureExact() throws Exception {
        RedisServers.assumeInstalled();
        Files.createDirectories(dir.resolve("redis"));
        try (RedisServers.Server redis = RedisServers.standalone(dir.resolve("redis"));
                Cluster cluster = Cluster.start(dir, 2, WINDOWS, redis.url())) {
            billingRun(cluster);
        }
    }

    /** What the counts should be: ids per tenant per day, per month and all time. */
    static final class Model {
        final Map<String, Set<String>> allTime = new TreeMap<>();
        final Map<String, Map<LocalDate, Set<String>>> days = new HashMap<>();
        final Map<String, Map<YearMonth, Set<String>>> months = new HashMap<>();

        void add(String tenant, String id, LocalDate day) {
            allTime.computeIfAbsent(tenant, t -> new HashSet<>()).add(id);
            days.computeIfAbsent(tenant, t -> new HashMap<>()).computeIfAbsent(day, d -> new HashSet<>()).add(id);
            months.computeIfAbsent(tenant, t -> new HashMap<>()).computeIfAbsent(YearMonth.from(day), m -> new HashSet<>())
                    .add(id);
        }

        void erase(String tenant, String id) {
            allTime.get(tenant).remove(id);
            days.get(tenant).values().forEach(s -> s.remove(id));
            months.get(tenant).values().forEach(s -> s.remove(id));
        }

        long day(String tenant, LocalDate day) {
            return days.getOrDefault(tenant, Map.of()).getOrDefault(day, Set.of()).size();
        }

        long month(String tenant, YearMonth month) {
            return months.getOrDefault(tenant, Map.of()).getOrDefault(month, Set.of()).size();
        }

        long range(String tenant, LocalDate from, LocalDate to) {
            Set<String> union = new HashSet<>();
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                union.addAll(days.getOrDefault(tenant, Map.of()).getOrDefault(d, Set.of()));
            }
            return union.size();
        }
    }

    static void billingRun(Cluster cluster) throws Exception {
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Model model = new Model();
        Random random = new Random(42);
        // A month of events: each tenant's users come back on several days, in batches of mixed tenants.
        for (int day = DAYS - 1; day >= 0; day--) {
            LocalDate date = today.minusDays(day);
            StringBuilder batch = new StringBuilder("[");
            for (int k = 0; k < 400; k++) {
                String tenant = "customer-" + random.nextInt(TENANTS);
                String id = "user-" + random.nextInt(60);
                long millis = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + random.nextInt(86_400_000);
                millis = Math.min(millis, now.toEpochMilli()); // never in the future
                String ts = k % 2 == 0 ? "\"" + Instant.ofEpochMilli(millis) + "\"" : Long.toString(millis);
                batch.append(k == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"tenant\":\"").append(tenant)
                        .append("\",\"ts\":").append(ts).append('}');
                model.add(tenant, id, LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
            }
            HttpResponse<String> r = cluster.post(batch.append(']').toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }

        // Every worker dies at once: what was acknowledged, windows included, is still there afterwards.
        for (ProcessHandle worker : cluster.workerProcesses()) {
            worker.destroyForcibly();
        }
        Awaitility.await("workers respawned").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> cluster.count("customer-0") == model.allTime.getOrDefault("customer-0", Set.of()).size());

        YearMonth thisMonth = YearMonth.from(today);
        List<YearMonth> monthsSeen = List.of(thisMonth.minusMonths(1), thisMonth);
        for (String tenant : model.allTime.keySet()) {
            assertThat(cluster.count(tenant)).as("all time of %s", tenant).isEqualTo(model.allTime.get(tenant).size());
            for (YearMonth m : monthsSeen) {
                assertThat(count(cluster, tenant, "window=month&at=" + m)).as("%s of %s", m, tenant)
                        .isEqualTo(model.month(tenant, m));
            }
            for (int day = 0; day < DAYS; day++) {
                LocalDate d = today.minusDays(day);
                assertThat(count(cluster, tenant, "window=day&at=" + d)).as("%s of %s", d, tenant)
                        .isEqualTo(model.day(tenant, d));
            }
            LocalDate from = today.minusDays(6);
            assertThat(count(cluster, tenant, "from=" + from + "&to=" + today)).as("7 days of %s", tenant)
                    .isEqualTo(model.range(tenant, from, today));
        }
        for (YearMonth m : monthsSeen) {
            Map<String, Long> expected = new TreeMap<>();
            model.allTime.keySet().forEach(t -> {
                if (model.month(t, m) > 0) {
                    expected.put(t, model.month(t, m));
                }
            });
            assertThat(export(cluster, "window=month&at=" + m)).as("export of %s", m).isEqualTo(expected);
        }

        // Erasure: one user of one customer, everywhere.
        String tenant = "customer-3";
        String id = model.allTime.get(tenant).iterator().next();
        HttpResponse<String> erased = send(cluster, "DELETE", "/items/" + tenant + "/ids/" + id);
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        assertThat(erased.body()).isEqualTo("{\"erased\":1}");
        assertThat(send(cluster, "DELETE", "/items/" + tenant + "/ids/" + id).body()).as("idempotent")
                .isEqualTo("{\"erased\":0}");
        model.erase(tenant, id);
        assertThat(cluster.count(tenant)).isEqualTo(model.allTime.get(tenant).size());
        for (YearMonth m : monthsSeen) {
            assertThat(count(cluster, tenant, "window=month&at=" + m)).isEqualTo(model.month(tenant, m));
        }
        for (int day = 0; day < DAYS; day++) {
            LocalDate d = today.minusDays(day);
            assertThat(count(cluster, tenant, "window=day&at=" + d)).as("%s after the erasure", d)
                    .isEqualTo(model.day(tenant, d));
        }
        assertThat(count(cluster, tenant, "from=" + today.minusDays(6) + "&to=" + today))
                .isEqualTo(model.range(tenant, today.minusDays(6), today));
        assertThat(export(cluster, "window=month&at=" + thisMonth).get(tenant)).isEqualTo(model.month(tenant, thisMonth));
        assertThat(ids(cluster, tenant)).doesNotContain(id).hasSize(model.allTime.get(tenant).size());

        // A whole customer leaves.
        HttpResponse<String> gone = send(cluster, "DELETE", "/items/customer-5");
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
        assertThat(Cluster.longField(gone.body(), "erased")).isEqualTo(model.allTime.get("customer-5").size());

        // Erasures are durable once answered: every worker SIGKILLed again, nothing erased comes back.
        for (ProcessHandle worker : cluster.workerProcesses()) {
            worker.destroyForcibly();
        }
        Awaitility.await("workers respawned").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> cluster.count("customer-0") == model.allTime.getOrDefault("customer-0", Set.of()).size());
        assertThat(cluster.count(tenant)).isEqualTo(model.allTime.get(tenant).size());
        assertThat(count(cluster, tenant, "window=month&at=" + thisMonth)).isEqualTo(model.month(tenant, thisMonth));
        assertThat(cluster.count("customer-5")).isZero();
        assertThat(count(cluster, "customer-5", "window=month&at=" + thisMonth)).isZero();
        assertThat(export(cluster, "window=month&at=" + thisMonth)).doesNotContainKey("customer-5");
    }

    static long count(Cluster cluster, String tenant, String query) throws Exception {
        HttpResponse<String> r = cluster.get("/items/" + Cluster.encode(tenant) + "/count?" + query);
        assertThat(r.statusCode()).as("count %s of %s: %s", query, tenant, r.body()).isEqualTo(200);
        return Cluster.longField(r.body(), "count");
    }

    static Map<String, Long> export(Cluster cluster, String query) throws Exception {
        HttpResponse<String> r = cluster.get("/counts?" + query);
        assertThat(r.statusCode()).as("export %s: %s", query, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
        Map<String, Long> counts = new TreeMap<>();
        Pattern line = Pattern.compile("\\{\"tenant\":\"([^\"]*)\",\"count\":(\\d+)}");
        for (String l : r.body().split("\n")) {
            if (!l.isEmpty()) {
                Matcher m = line.matcher(l);
                assertThat(m.matches()).as("export line %s", l).isTrue();
                assertThat(counts.put(m.group(1), Long.parseLong(m.group(2)))).as("%s listed once", m.group(1)).isNull();
            }
        }
        return counts;
    }

    static List<String> ids(Cluster cluster, String tenant) throws Exception {
        HttpResponse<String> r = cluster.get("/items/" + Cluster.encode(tenant) + "/ids");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"id\":\"([^\"]*)\"").matcher(r.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static HttpResponse<String> send(Cluster cluster, String method, String path) throws Exception {
        return Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}
