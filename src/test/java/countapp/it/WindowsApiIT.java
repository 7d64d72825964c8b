package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.YearMonth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event time, windowed counts, erasure, the counts export and the API description, through a real
 * coordinator and its workers, with auth on: an admin key (every tenant, ops) and a key for "acme" only.
 */
class WindowsApiIT {
    static final String ADMIN = "windows-admin-key-0123456789";
    static final String ACME = "windows-acme-key-0123456789";

    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(dir, 2, "windows: {day: 35, month: 13}\nauth:\n  keys:\n"
                + "    - key: " + ADMIN + "\n      tenants: [\"*\"]\n      ops: true\n"
                + "    - key: " + ACME + "\n      tenants: [acme]\n", Cluster.Options.defaults().opsKey(ADMIN));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return Cluster.send(b.build());
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        return send("GET", path, key, null);
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return send("POST", "/items", ADMIN, body);
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-11-28\"", "\"soon\"", "1.5", "true", "null", "{}"})
    void post_badTs_400NamingTheItemAndNothingChanges(String ts) throws Exception {
        String tenant = "ts-bad-" + Integer.toHexString(ts.hashCode());
        HttpResponse<String> r = post("[{\"id\":\"a\",\"tenant\":\"" + tenant + "\"},"
                + "{\"id\":\"b\",\"tenant\":\"" + tenant + "\",\"ts\":" + ts + "}]");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"index\":1").contains("ts");
        assertThat(cluster.count(tenant)).isZero();
    }

    @Test
    void post_tsTenMinutesAhead_400AndNothingChanges() throws Exception {
        long ahead = Instant.now().plusSeconds(600).toEpochMilli();

        HttpResponse<String> r = post("[{\"id\":\"a\",\"tenant\":\"ts-future\",\"ts\":\"2020-01-01T00:00:00Z\"},"
                + "{\"id\":\"b\",\"tenant\":\"ts-future\",\"ts\":" + ahead + "}]");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"index\":1").contains("future");
        assertThat(cluster.count("ts-future")).isZero();
    }

    @Test
    void post_validTs_acceptedAndCountedAllTime() throws Exception {
        HttpResponse<String> r = post("[{\"id\":\"a\",\"tenant\":\"ts-ok\",\"ts\":\"" + today() + "T00:00:00+00:00\"},"
                + "{\"id\":\"b\",\"tenant\":\"ts-ok\",\"ts\":" + Instant.now().toEpochMilli() + "},"
                + "{\"id\":\"c\",\"tenant\":\"ts-ok\"}]");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(cluster.count("ts-ok")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"window=day", "at=2026-11-28", "from=2026-11-01", "from=2026-11-02&to=2026-11-01",
        "window=week&at=2026-11-28", "window=day&at=2026-11-31", "window=month&at=2026-11-28",
        "from=2025-01-01&to=2026-01-02", "window=day&at=2026-11-28&x=1"})
    void count_badWindowQuery_400SayingWhatIsExpected(String query) throws Exception {
        HttpResponse<String> r = get("/items/acme/count?" + query, ADMIN);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":");
    }

    @Test
    void count_noQuery_allTimeAsBefore() throws Exception {
        post("[{\"id\":\"a\",\"tenant\":\"plain\"}]");

        assertThat(get("/items/plain/count", ADMIN).body()).isEqualTo("{\"count\":1}");
    }

    /** Needs a store that keeps windows (the log store answers 501 until it does). */
    @Test
    void count_dayMonthAndRange_countedAndEchoed() throws Exception {
        String day = today();
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        post("[{\"id\":\"a\",\"tenant\":\"win\"},{\"id\":\"b\",\"tenant\":\"win\",\"ts\":\"" + day + "T00:00:01Z\"}]");

        assertThat(get("/items/win/count?window=day&at=" + day, ADMIN).body())
                .isEqualTo("{\"count\":2,\"window\":\"day\",\"at\":\"" + day + "\"}");
        assertThat(get("/items/win/count?window=month&at=" + month, ADMIN).body())
                .isEqualTo("{\"count\":2,\"window\":\"month\",\"at\":\"" + month + "\"}");
        assertThat(get("/items/win/count?from=" + day + "&to=" + day, ADMIN).body())
                .isEqualTo("{\"count\":2,\"from\":\"" + day + "\",\"to\":\"" + day + "\"}");
    }

    @Test
    void erase_scopedKeyOnAnotherTenant_403AndNothingErased() throws Exception {
        post("[{\"id\":\"a\",\"tenant\":\"not-acme\"}]");

        assertThat(send("DELETE", "/items/not-acme/ids/a", ACME, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/items/not-acme", ACME, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/items/not-acme", null, null).statusCode()).isEqualTo(401);
        assertThat(cluster.count("not-acme")).isEqualTo(1);
    }

    @Test
    void delete_onCountPath_405AllowingGet() throws Exception {
        HttpResponse<String> r = send("DELETE", "/items/acme/count", ADMIN, null);

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
    }

    /** Needs a store that erases (the log store answers 501 until it does). */
    @Test
    void erase_pair_erasedOnceThenZero() throws Exception {
        post("[{\"id\":\"x/1\",\"tenant\":\"acme\"},{\"id\":\"x/2\",\"tenant\":\"acme\"}]");

        HttpResponse<String> first = send("DELETE", "/items/acme/ids/x%2F1", ACME, null);
        HttpResponse<String> again = send("DELETE", "/items/acme/ids/x%2F1", ACME, null);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"erased\":1}");
        assertThat(again.body()).isEqualTo("{\"erased\":0}");
        assertThat(cluster.count("acme")).isEqualTo(1);
    }

    /** Needs a store that erases (the log store answers 501 until it does). */
    @Test
    void erase_tenant_answersItsPairsAndCountsZero() throws Exception {
        post("[{\"id\":\"1\",\"tenant\":\"gone\"},{\"id\":\"2\",\"tenant\":\"gone\"},{\"id\":\"3\",\"tenant\":\"gone\"}]");

        HttpResponse<String> r = send("DELETE", "/items/gone", ADMIN, null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"erased\":3}");
        assertThat(cluster.count("gone")).isZero();
        assertThat(send("DELETE", "/items/gone", ADMIN, null).body()).isEqualTo("{\"erased\":0}");
    }

    @Test
    void export_scopedKey_403() throws Exception {
        assertThat(get("/counts", ACME).statusCode()).isEqualTo(403);
        assertThat(get("/counts?window=month&at=2026-11", ACME).statusCode()).isEqualTo(403);
        assertThat(get("/counts", null).statusCode()).isEqualTo(401);
    }

    @Test
    void export_badQuery_400() throws Exception {
        assertThat(get("/counts?from=2026-11-01&to=2026-11-02", ADMIN).statusCode()).isEqualTo(400);
        assertThat(get("/counts?window=day", ADMIN).statusCode()).isEqualTo(400);
    }

    /** Needs a store that exports counts (the log store answers 501 until it does). */
    @Test
    void export_allTime_everyTenantAsJsonLines() throws Exception {
        post("[{\"id\":\"1\",\"tenant\":\"exp-a\"},{\"id\":\"2\",\"tenant\":\"exp-a\"},{\"id\":\"1\",\"tenant\":\"exp-b\"}]");

        HttpResponse<String> r = get("/counts", ADMIN);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(r.body().lines()).contains("{\"tenant\":\"exp-a\",\"count\":2}", "{\"tenant\":\"exp-b\",\"count\":1}");
        assertThat(r.body()).endsWith("\n");
    }

    /** Needs a store that keeps windows (the log store answers 501 until it does). */
    @Test
    void export_month_tenantsOfThatMonth() throws Exception {
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        post("[{\"id\":\"1\",\"tenant\":\"exp-m\"}]");

        HttpResponse<String> r = get("/counts?window=month&at=" + month, ADMIN);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(r.body().lines()).contains("{\"tenant\":\"exp-m\",\"count\":1}");
    }

    @Test
    void openApi_noKey_servedAsJson() throws Exception {
        HttpResponse<String> r = get("/openapi.json", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).contains("\"openapi\"");
    }

    @Test
    void worker_directCallsWithAKey_sameChecksAsTheCoordinator() throws Exception {
        int worker = cluster.workerPorts.get(0);
        HttpResponse<String> badQuery = SecurityIT.get(worker, "/items/acme/count?window=day", "Bearer " + ACME, false);
        HttpResponse<String> otherTenant = Cluster.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + worker + "/items/not-acme/ids/a")).header("Authorization", "Bearer " + ACME)
                .DELETE().build());
        HttpResponse<String> exportWithoutSecret = SecurityIT.get(worker, "/counts?partition=0", "Bearer " + ADMIN, false);

        assertThat(badQuery.statusCode()).as(badQuery.body()).isIn(400, 421);
        assertThat(otherTenant.statusCode()).isEqualTo(403);
        assertThat(exportWithoutSecret.statusCode()).as("a worker's export is the coordinator's").isEqualTo(401);
    }
}
