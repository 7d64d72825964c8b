package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Jepsen-style "set" workload: clients add unique items through the coordinator and remember which
 * were sent and which acknowledged. Afterwards, for every tenant, acknowledged ≤ count ≤ sent must hold:
 * nothing acknowledged was lost and nothing was counted that was never sent.
 */
final class SetWorkload {
    private final Cluster cluster;
    private final String prefix;
    private final List<String> tenants;
    private final int batch;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    private final ConcurrentHashMap<String, Set<String>> sent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> acked = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong maxLatencyMs = new AtomicLong();
    private final List<String> errorSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** With windows: items carry a ts on one of the last {@code days} UTC days; the day each id got. */
    private int days;
    private final ConcurrentHashMap<String, java.time.LocalDate> dayOf = new ConcurrentHashMap<>();

    SetWorkload(Cluster cluster, String prefix, int clientCount, int tenantCount, int batch) {
        this.cluster = cluster;
        this.prefix = prefix;
        this.batch = batch;
        this.tenants = new ArrayList<>();
        for (int t = 0; t < tenantCount; t++) {
            String tenant = prefix + "-" + t;
            tenants.add(tenant);
            sent.put(tenant, ConcurrentHashMap.newKeySet());
            acked.put(tenant, ConcurrentHashMap.newKeySet());
        }
        for (int c = 0; c < clientCount; c++) {
            int client = c;
            Thread t = new Thread(() -> run(client), prefix + "-client-" + c);
            t.setDaemon(true);
            clients.add(t);
        }
    }

    /** Items carry a {@code ts} spread over the last {@code n} UTC days, and the check covers those days' windows. */
    SetWorkload overDays(int n) {
        this.days = n;
        return this;
    }

    SetWorkload start() {
        clients.forEach(Thread::start);
        return this;
    }

    private void run(int client) {
        long seq = 0;
        long deadline = System.nanoTime() + 300_000_000_000L; // bounded even if never stopped
        while (running.get() && System.nanoTime() < deadline) {
            List<String[]> items = new ArrayList<>(batch);
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < batch; i++) {
                String tenant = tenants.get((int) ((seq + i) % tenants.size()));
                String id = "c" + client + "-" + seq++;
                items.add(new String[] {tenant, id});
                sent.get(tenant).add(id);
                body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"tenant\":\"").append(tenant);
                if (days > 0) {
                    long ts = System.currentTimeMillis() - (seq % days) * 86_400_000L;
                    dayOf.put(tenant + "\u0000" + id, java.time.LocalDate.ofEpochDay(Math.floorDiv(ts, 86_400_000L)));
                    body.append("\",\"ts\":").append(ts).append('}');
                } else {
                    body.append("\"}");
                }
            }
            body.append(']');
            long start = System.nanoTime();
            try {
                HttpResponse<String> r = cluster.post(body.toString());
                if (r.statusCode() == 200) {
                    for (String[] item : items) {
                        acked.get(item[0]).add(item[1]);
                    }
                } else {
                    error(r.statusCode() + " " + r.body());
                }
            } catch (Exception e) {
                error(e.toString());
            }
            requests.incrementAndGet();
            maxLatencyMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
        }
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < 5) {
            errorSamples.add(what);
        }
    }

    /**
     * Waits until the clients have completed {@code more} further requests: the load is running and served,
     * which is what a test means by "let the load run" before and after it breaks something.
     */
    SetWorkload awaitProgress(int more) {
        long target = requests.get() + more;
        org.awaitility.Awaitility.await(prefix + ": " + more + " more requests completed")
                .atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> requests.get() >= target);
        return this;
    }

    long acknowledged() {
        return acked.values().stream().mapToLong(Set::size).sum();
    }

    /** Stops the clients, then checks acked ≤ count ≤ sent per tenant and that no request failed. */
    String stopAndVerify() throws Exception {
        stop();
        long totalAcked = 0;
        long totalSent = 0;
        long totalCounted = 0;
        long lost = 0;
        long extra = 0;
        for (String tenant : tenants) {
            long count = cluster.count(tenant);
            long a = acked.get(tenant).size();
            long s = sent.get(tenant).size();
            totalAcked += a;
            totalSent += s;
            totalCounted += count;
            lost += Math.max(0, a - count);
            extra += Math.max(0, count - s);
        }
        String figures = String.format("requests=%d sent=%d acked=%d counted=%d lost=%d extra=%d errors=%d max_latency_ms=%d",
                requests.get(), totalSent, totalAcked, totalCounted, lost, extra, errors.get(), maxLatencyMs.get());
        System.out.println("[set-workload " + prefix + "] " + figures);
        for (String tenant : tenants) {
            long count = cluster.count(tenant);
            assertThat(count).as("%s: count ≥ acknowledged (%s)", tenant, figures).isGreaterThanOrEqualTo(acked.get(tenant).size());
            assertThat(count).as("%s: count ≤ sent (%s)", tenant, figures).isLessThanOrEqualTo(sent.get(tenant).size());
        }
        if (days > 0) {
            verifyWindows(figures);
        }
        assertThat(errors.get()).as("client-visible errors: %s (%s)", errorSamples, figures).isZero();
        assertThat(totalAcked).as("the workload made progress").isPositive();
        return figures;
    }

    /**
     * Per tenant, each day's, month's and the whole run of days' count lies between what was acknowledged
     * and what was sent for that window: no window lost an acknowledged item or counted one twice.
     */
    private void verifyWindows(String figures) throws Exception {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (String tenant : tenants) {
            java.util.Map<String, long[]> bounds = new java.util.TreeMap<>(); // query → {acked, sent}
            for (String id : sent.get(tenant)) {
                java.time.LocalDate day = dayOf.get(tenant + "\u0000" + id);
                boolean ack = acked.get(tenant).contains(id);
                for (String query : List.of("window=day&at=" + day, "window=month&at=" + java.time.YearMonth.from(day),
                        "from=" + today.minusDays(days - 1) + "&to=" + today)) {
                    long[] b = bounds.computeIfAbsent(query, q -> new long[2]);
                    b[0] += ack ? 1 : 0;
                    b[1]++;
                }
            }
            for (java.util.Map.Entry<String, long[]> e : bounds.entrySet()) {
                HttpResponse<String> r = cluster.get("/items/" + Cluster.encode(tenant) + "/count?" + e.getKey());
                assertThat(r.statusCode()).as("%s of %s: %s", e.getKey(), tenant, r.body()).isEqualTo(200);
                long count = Cluster.longField(r.body(), "count");
                assertThat(count).as("%s of %s ≥ acknowledged (%s)", e.getKey(), tenant, figures)
                        .isGreaterThanOrEqualTo(e.getValue()[0]);
                assertThat(count).as("%s of %s ≤ sent (%s)", e.getKey(), tenant, figures).isLessThanOrEqualTo(e.getValue()[1]);
            }
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) {
            t.join(120_000);
        }
    }
}
