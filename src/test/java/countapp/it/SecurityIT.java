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
    static final String ACME = "acme-key-0123456789";
    static final String LIMITS = "limits:\n  max_body_bytes: 2000\n  max_items: 5\n  max_value_bytes: 16\n"
            + "  max_header_bytes: 1024\n  request_timeout: 2\n";

    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(dir, 2, LIMITS + auth(true));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Keys: admin in plain text for every tenant, acme as a SHA-256 digest for tenant "acme" only. */
    static String auth(boolean withAcme) throws Exception {
        String acmeDigest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ACME.getBytes(StandardCharsets.UTF_8)));
        return "auth:\n  keys:\n    - key: " + ADMIN + "\n      tenants: [\"*\"]\n"
                + (withAcme ? "    - key_sha256: " + acmeDigest + "\n      tenants: [acme]\n" : "");
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
    void liveConfigReload_revokesKey() throws Exception {
        Path otherDir = Files.createDirectories(dir.resolve("revoke"));
        try (Cluster other = Cluster.start(otherDir, 1, LIMITS + auth(true))) {
            assertThat(countOn(other, ACME, "acme").statusCode()).isEqualTo(200);
            String config = Files.readString(other.dir.resolve("config.yaml"))
                    .replace("config_check: 5", "config_check: 0.5");
            Files.writeString(other.dir.resolve("config.yaml"), config);
            Thread.sleep(5500); // the first re-read uses the initial 5 s interval

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
