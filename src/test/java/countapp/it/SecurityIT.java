package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits, the cluster secret and API keys, checked from outside against real processes. */
class SecurityIT {
    static final String ADMIN = "admin-key-0123456789";
    static final String OPS = "ops-only-key-0123456789";
    static final String ACME = "acme-key-0123456789";
    static final String LIMITS = "limits:\n  max_body_bytes: 2000\n  max_items: 5\n  max_value_bytes: 16\n"
            + "  max_header_bytes: 1024\n  request_timeout: 2\n";

    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(dir, 2, LIMITS + auth(true), Cluster.Options.defaults().opsKey(ADMIN));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /**
     * Keys: admin in plain text for every tenant and the ops endpoints, ops for the ops endpoints only, acme as a
     * SHA-256 digest for tenant "acme" only.
     */
    static String auth(boolean withAcme) throws Exception {
        String acmeDigest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ACME.getBytes(StandardCharsets.UTF_8)));
        return "auth:\n  keys:\n    - key: " + ADMIN + "\n      tenants: [\"*\"]\n      ops: true\n"
                + "    - key: " + OPS + "\n      ops: true\n"
                + (withAcme ? "    - key_sha256: " + acmeDigest + "\n      tenants: [acme]\n" : "");
    }

    static HttpResponse<String> get(int port, String path, String authorization, boolean secret) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (secret) {
            b.header("X-CountApp-Secret", Cluster.SECRET);
        }
        return Cluster.send(b.build());
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(("browser-user:" + key).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + "/items"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Cluster.send(b.build());
    }

    static HttpResponse<String> count(String key, String tenant) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + "/items/" + tenant + "/count"))
                .timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Cluster.send(b.build());
    }

    static long adminCount(String tenant) throws Exception {
        HttpResponse<String> r = count(ADMIN, tenant);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Cluster.longField(r.body(), "count");
    }

    @Test
    void kill_withoutOrWithWrongSecret_refusedAndWorkerStaysUp() throws Exception {
        int worker = cluster.workerPorts.get(0);
        long pid = cluster.workerPid(worker);

        HttpResponse<String> none = Cluster.get(worker, "/kill");
        HttpResponse<String> wrong = Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker + "/kill"))
                .header("X-CountApp-Secret", "not-the-secret-at-all").POST(HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> assign = Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker + "/partitions"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"partitions\":[]}")).build());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("cluster secret");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(assign.statusCode()).isEqualTo(401);
        Thread.sleep(500);
        assertThat(Cluster.process(pid)).isPresent();
        assertThat(cluster.workerPid(worker)).isEqualTo(pid);
        assertThat(cluster.get("/").body()).contains("\"settled\":true");
    }

    @Test
    void keys_scopedToTenants_401And403AndNothingChanges() throws Exception {
        assertThat(post(null, items("acme", List.of("1"))).statusCode()).isEqualTo(401);
        assertThat(post("no-such-key-000", items("acme", List.of("1"))).statusCode()).isEqualTo(401);
        assertThat(count(null, "acme").statusCode()).isEqualTo(401);

        assertThat(post(ACME, items("acme", List.of("a1", "a2"))).body()).isEqualTo("{\"received\":2,\"added\":2}");
        assertThat(count(ACME, "acme").body()).isEqualTo("{\"count\":2}");
        assertThat(count(ACME, "globex").statusCode()).isEqualTo(403);

        HttpResponse<String> mixed = post(ACME, "[{\"id\":\"a3\",\"tenant\":\"acme\"},{\"id\":\"g1\",\"tenant\":\"globex\"}]");
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(mixed.body()).contains("globex");
        assertThat(adminCount("acme")).as("the rejected request changed nothing").isEqualTo(2);
        assertThat(adminCount("globex")).isZero();

        assertThat(post(ADMIN, items("globex", List.of("g1"))).statusCode()).isEqualTo(200);
        assertThat(adminCount("globex")).isEqualTo(1);
    }

    @Test
    void workerDirectly_withoutSecret_needsAnApiKeyToo() throws Exception {
        int worker = cluster.workerPorts.get(0);

        HttpResponse<String> r = Cluster.post(worker, items("acme", List.of("w1")));

        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void bodySize_atLimitAccepted_overLimit413() throws Exception {
        String prefix = "[{\"id\":\"x\",\"tenant\":\"size\"}";
        String padded = prefix + " ".repeat(2000 - prefix.length() - 1) + "]";
        assertThat(padded).hasSize(2000);

        assertThat(post(ADMIN, padded).statusCode()).isEqualTo(200);
        HttpResponse<String> over = post(ADMIN, padded.replace("]", " ]"));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.body()).contains("\"limit\":\"max_body_bytes\"");
    }

    @Test
    void itemCount_atLimitAccepted_overLimit413() throws Exception {
        List<String> five = IntStream.range(0, 5).mapToObj(i -> "n" + i).collect(Collectors.toList());
        List<String> six = IntStream.range(0, 6).mapToObj(i -> "m" + i).collect(Collectors.toList());

        assertThat(post(ADMIN, items("many", five)).statusCode()).isEqualTo(200);
        HttpResponse<String> over = post(ADMIN, items("many", six));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.body()).contains("\"limit\":\"max_items\"");
        assertThat(adminCount("many")).isEqualTo(5);
    }

    @Test
    void valueLength_atLimitAccepted_overLimit400() throws Exception {
        assertThat(post(ADMIN, items("len", List.of("x".repeat(16)))).statusCode()).isEqualTo(200);
        HttpResponse<String> over = post(ADMIN, items("len", List.of("y".repeat(17))));
        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(over.body()).contains("\"limit\":\"max_value_bytes\"");
        assertThat(adminCount("len")).isEqualTo(1);
    }

    @Test
    void headerSize_underLimitAccepted_overLimit431Json() throws Exception {
        String raw = "GET /items/hdr/count HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN + "\r\n";
        assertThat(rawRequest(raw + "X-Pad: " + "p".repeat(600) + "\r\n\r\n")).startsWith("HTTP/1.1 200");
        String over = rawRequest(raw + "X-Pad: " + "p".repeat(1200) + "\r\n\r\n");
        assertThat(over).startsWith("HTTP/1.1 431").contains("\"limit\":\"max_header_bytes\"");
    }

    @Test
    void slowBody_answered408AndClosed() throws Exception {
        try (Socket s = new Socket("localhost", cluster.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /items HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Length: 100\r\n\r\n[{\"id\"").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long start = System.nanoTime();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"limit\":\"request_timeout\"");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void slowlorisConnections_doNotStarveNormalClients() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("localhost", cluster.port);
                s.getOutputStream().write("GET /items/x/count HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.UTF_8));
                slow.add(s);
            }
            Thread trickle = new Thread(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                while (System.nanoTime() < end) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write('a');
                        } catch (Exception closedByServer) {
                            // expected once the header deadline passes
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            trickle.setDaemon(true);
            trickle.start();

            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = post(ADMIN, items("normal", List.of("n" + i)));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            }
            assertThat(adminCount("normal")).isEqualTo(10);

            trickle.interrupt();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void idleKeepAliveConnection_closedAfterRequestTimeout() throws Exception {
        try (Socket s = new Socket("localhost", cluster.port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /items/idle/count HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 200").contains("{\"count\":0}");
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            assertThat(open).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void smuggledSecondRequestInBody_rejectedAndNothingForwarded() throws Exception {
        String body = "[{\"id\":\"s1\",\"tenant\":\"smuggle\"}]\r\n\r\nPOST /kill HTTP/1.1\r\nHost: x\r\n\r\n";

        HttpResponse<String> r = post(ADMIN, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(adminCount("smuggle")).isZero();
        assertThat(cluster.get("/").body()).contains("\"settled\":true");
    }

    @Test
    void opsEndpoints_withoutKey_401WithABasicChallengeSoBrowsersAskForIt() throws Exception {
        for (String path : List.of("/", "/status", "/metrics", "/dashboard")) {
            HttpResponse<String> r = get(cluster.port, path, null, false);

            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"CountApp\"");
            assertThat(r.body()).as(path).doesNotContain("localhost:").doesNotContain("partition");
            assertThat(get(cluster.port, path, "Bearer no-such-key-000", false).statusCode()).as(path).isEqualTo(401);
            assertThat(get(cluster.port, path, basic("no-such-key-000"), false).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void opsEndpoints_opsKeyAsBearerOrBasic_200() throws Exception {
        for (String path : List.of("/", "/status", "/metrics", "/dashboard")) {
            assertThat(get(cluster.port, path, "Bearer " + OPS, false).statusCode()).as(path).isEqualTo(200);
            assertThat(get(cluster.port, path, basic(OPS), false).statusCode()).as(path).isEqualTo(200);
            assertThat(get(cluster.port, path, basic(ADMIN), false).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get(cluster.port, "/status", basic(OPS), false).body()).contains("\"pending_restart\":[]");
    }

    @Test
    void opsEndpoints_keyWithoutOps_403() throws Exception {
        for (String path : List.of("/", "/status", "/metrics", "/dashboard")) {
            assertThat(get(cluster.port, path, "Bearer " + ACME, false).statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    void opsOnlyKey_onTenantEndpoints_403AndBasicNotAcceptedThere() throws Exception {
        assertThat(count(OPS, "ops-tenant").statusCode()).isEqualTo(403);
        assertThat(post(OPS, items("ops-tenant", List.of("o1"))).statusCode()).isEqualTo(403);
        HttpResponse<String> basicPost = Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + "/items"))
                .header("Authorization", basic(ADMIN)).POST(HttpRequest.BodyPublishers.ofString(items("ops-tenant", List.of("o2"))))
                .build());
        assertThat(basicPost.statusCode()).as("a browser's cached Basic credentials never add items").isEqualTo(401);
        assertThat(adminCount("ops-tenant")).isZero();
    }

    @Test
    void health_withoutKey_answersOnlyWhetherSettled() throws Exception {
        HttpResponse<String> r = get(cluster.port, "/health", null, false);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).matches("\\{\"status\":\"ok\",\"settled\":(true|false)}");
    }

    @Test
    void workerOpsEndpoints_needAnOpsKeyOrTheClusterSecret() throws Exception {
        int worker = cluster.workerPorts.get(0);
        for (String path : List.of("/", "/metrics")) {
            HttpResponse<String> none = get(worker, path, null, false);

            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"CountApp\"");
            assertThat(get(worker, path, "Bearer " + ACME, false).statusCode()).as(path).isEqualTo(403);
            assertThat(get(worker, path, "Bearer " + OPS, false).statusCode()).as(path).isEqualTo(200);
            assertThat(get(worker, path, basic(OPS), false).statusCode()).as(path).isEqualTo(200);
            assertThat(get(worker, path, null, true).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void liveConfigReload_keysCommentedOutOrAuthRemoved_refusedAndRequestsStillNeedAKey() throws Exception {
        Path otherDir = Files.createDirectories(dir.resolve("auth-off"));
        try (Cluster other = Cluster.start(otherDir, 1, auth(true), Cluster.Options.defaults().opsKey(ADMIN).configCheck("0.5"))) {
            Path file = other.dir.resolve("config.yaml");
            String config = Files.readString(file);
            int worker = other.workerPorts.get(0);

            // Commenting out the keys block leaves a bare "auth:": refused, not read as "auth off".
            Files.writeString(file, config.replace(auth(true), "auth:\n" + auth(true).substring("auth:\n".length())
                    .replaceAll("(?m)^", "#")));
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> other.get("/status").body()
                    .contains("auth: has no keys; to turn authentication off, remove the auth key entirely"));
            assertThat(postOn(other.port, null).statusCode()).isEqualTo(401);
            assertThat(postOn(worker, null).statusCode()).isEqualTo(401);
            assertThat(postOn(other.port, ADMIN).statusCode()).as("the keys in force still work").isEqualTo(200);

            // Removing auth entirely would switch it off: that takes a restart.
            Files.writeString(file, config.replace(auth(true), ""));
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> other.get("/status").body()
                    .contains("auth: switching authentication off takes a restart"));
            Path workerLog = other.dir.resolve("logs/" + worker + ".log");
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(workerLog)
                    .contains("auth: switching authentication off takes a restart"));
            assertThat(postOn(other.port, null).statusCode()).isEqualTo(401);
            assertThat(postOn(worker, null).statusCode()).as("the worker's own reload keeps auth on too").isEqualTo(401);
            assertThat(get(other.port, "/status", null, false).statusCode()).isEqualTo(401);

            // A worker respawned meanwhile refuses the file rather than come up without auth.
            long pid = other.workerPid(worker);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(workerLog)
                    .contains("countapp worker: invalid config"));
            assertThat(openPost(worker)).as("never an open worker").isFalse();
            Files.writeString(file, config);
            other.awaitSettled(1);
            assertThat(postOn(worker, null).statusCode()).isEqualTo(401);
        }
    }

    /** Whether the port takes a POST without a key (false when nothing listens). */
    private static boolean openPost(int port) {
        try {
            return postOn(port, null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static HttpResponse<String> postOn(int port, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/items"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(items("acme", List.of("p1"))));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Cluster.send(b.build());
    }

    @Test
    void issue22_cliUrlAndKeyFromEnvironment_noOptionsNeeded() throws Exception {
        ProcessBuilder post = CliIT.launcher("post", "cli-env:e1", "cli-env:e2");
        post.environment().put("COUNTAPP_URL", "http://127.0.0.1:" + cluster.port);
        post.environment().put("COUNTAPP_KEY", ADMIN);
        assertThat(output(post)).startsWith("posted 2 items in 1 batch: 2 new");

        ProcessBuilder count = CliIT.launcher("count", "cli-env");
        count.environment().put("COUNTAPP_URL", "http://127.0.0.1:" + cluster.port);
        count.environment().put("COUNTAPP_KEY", ACME);
        assertThat(output(count)).as("a key for acme only").contains("403");

        ProcessBuilder noKey = CliIT.launcher("count", "cli-env");
        noKey.environment().put("COUNTAPP_URL", "http://127.0.0.1:" + cluster.port);
        noKey.environment().remove("COUNTAPP_KEY");
        noKey.environment().remove("COUNTAPP_API_KEY");
        assertThat(output(noKey)).contains("401");
        assertThat(adminCount("cli-env")).isEqualTo(2);
    }

    private static String output(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void liveConfigReload_revokesKey() throws Exception {
        Path otherDir = Files.createDirectories(dir.resolve("revoke"));
        try (Cluster other = Cluster.start(otherDir, 1, LIMITS + auth(true),
                Cluster.Options.defaults().opsKey(ADMIN).configCheck("0.5"))) {
            assertThat(countOn(other, ACME, "acme").statusCode()).isEqualTo(200);
            String config = Files.readString(other.dir.resolve("config.yaml"));

            Files.writeString(other.dir.resolve("config.yaml"), config.replace(auth(true), auth(false)));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> countOn(other, ACME, "acme").statusCode() == 401);
            assertThat(countOn(other, ADMIN, "acme").statusCode()).isEqualTo(200);
        }
    }

    static HttpResponse<String> countOn(Cluster c, String key, String tenant) throws Exception {
        return Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + c.port + "/items/" + tenant + "/count"))
                .header("Authorization", "Bearer " + key).GET().build());
    }

    private static String rawRequest(String request) throws Exception {
        try (Socket s = new Socket("localhost", cluster.port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }
}
