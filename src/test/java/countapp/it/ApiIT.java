package countapp.it;

import static countapp.it.Cluster.items;
import static countapp.it.Cluster.longField;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP API through a real coordinator and its spawned worker processes. */
class ApiIT {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(dir, 3, "");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void post_seedScenario_countsAtOnce() throws Exception {
        HttpResponse<String> r = cluster.post("[{\"id\":\"1\", \"tenant\": \"seed-t1\"},{\"id\":\"2\", \"tenant\": \"seed-t2\"},"
                + "{\"id\":\"2\", \"tenant\": \"seed-t3\"},{\"id\":\"4\", \"tenant\": \"seed-t1\"}]");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"received\":4,\"added\":4}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(cluster.count("seed-t1")).isEqualTo(2);
        assertThat(cluster.count("seed-t2")).isEqualTo(1);
        assertThat(cluster.count("seed-t3")).isEqualTo(1);
    }

    @Test
    void count_unknownTenant_isZero() throws Exception {
        assertThat(cluster.count("never-seen-tenant")).isZero();
    }

    @Test
    void post_duplicatesWithinAndAcrossRequests_countOnce() throws Exception {
        String body = items("dup", List.of("a", "b", "a", "c", "b"));

        HttpResponse<String> first = cluster.post(body);
        HttpResponse<String> second = cluster.post(body);

        assertThat(first.body()).isEqualTo("{\"received\":5,\"added\":3}");
        assertThat(second.body()).isEqualTo("{\"received\":5,\"added\":0}");
        assertThat(cluster.count("dup")).isEqualTo(3);
    }

    @Test
    void post_sameIdInDifferentTenants_countsInEach() throws Exception {
        cluster.post("[{\"id\":\"x\",\"tenant\":\"iso-a\"},{\"id\":\"x\",\"tenant\":\"iso-b\"}]");

        assertThat(cluster.count("iso-a")).isEqualTo(1);
        assertThat(cluster.count("iso-b")).isEqualTo(1);
    }

    @Test
    void post_eightConcurrentClientsOverlapping_exactCounts() throws Exception {
        int clients = 8;
        int idsPerTenant = 600;
        List<String> tenants = List.of("cc-a", "cc-b", "cc-c", "cc-d", "cc-e");
        AtomicLong added = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random random = new Random(c);
                done.add(pool.submit(() -> {
                    // Every client sends every (tenant, id) pair, in its own order and batch sizes.
                    List<String> pairs = new ArrayList<>();
                    for (String t : tenants) {
                        for (int i = 0; i < idsPerTenant; i++) {
                            pairs.add("{\"id\":\"" + i + "\",\"tenant\":\"" + t + "\"}");
                        }
                    }
                    Collections.shuffle(pairs, random);
                    for (int from = 0; from < pairs.size(); ) {
                        int to = Math.min(pairs.size(), from + 1 + random.nextInt(200));
                        HttpResponse<String> r = cluster.post("[" + String.join(",", pairs.subList(from, to)) + "]");
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        added.addAndGet(longField(r.body(), "added"));
                        from = to;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (String t : tenants) {
            assertThat(cluster.count(t)).as(t).isEqualTo(idsPerTenant);
        }
        assertThat(added.get()).isEqualTo((long) tenants.size() * idsPerTenant);
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"x\",\"tenant\":\"bad\"", "malformed JSON"),
                Arguments.of("not json", "malformed JSON"),
                Arguments.of("", "empty body"),
                Arguments.of("{\"id\":\"1\",\"tenant\":\"bad\"}", "must be a JSON array"),
                Arguments.of("\"text\"", "must be a JSON array"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},\"x\"]", "item 1: must be an object"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},null]", "item 1: must be an object"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"tenant\":\"bad\"}]", "item 1: missing \\\"id\\\""),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"x\"}]", "item 1: missing \\\"tenant\\\""),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"\",\"tenant\":\"bad\"}]", "item 1: \\\"id\\\" must not be empty"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"x\",\"tenant\":\"\"}]", "item 1: \\\"tenant\\\" must not be empty"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":null,\"tenant\":\"bad\"}]", "item 1: \\\"id\\\" must be a non-empty string, got null"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"x\",\"tenant\":null}]", "item 1: \\\"tenant\\\" must be a non-empty string, got null"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":5,\"tenant\":\"bad\"}]", "item 1: \\\"id\\\" must be a non-empty string, got a number"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"x\",\"tenant\":true}]", "item 1: \\\"tenant\\\" must be a non-empty string, got a boolean"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":[\"x\"],\"tenant\":\"bad\"}]", "item 1: \\\"id\\\" must be a non-empty string, got an array"),
                Arguments.of("[{\"id\":\"ok\",\"tenant\":\"bad\"},{\"id\":\"" + "x".repeat(513) + "\",\"tenant\":\"bad\"}]", "item 1: \\\"id\\\" is 513 bytes long"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void post_badInput_rejectedWholeWithReasonAndChangesNothing(String body, String reason) throws Exception {
        HttpResponse<String> r = cluster.post(body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).startsWith("{\"error\":\"").contains(reason);
        if (reason.startsWith("item 1")) {
            assertThat(r.body()).contains("\"index\":1");
        }
        assertThat(cluster.count("bad")).as("the valid first item must not be stored").isZero();
    }

    @Test
    void post_bodyOverLimit_413AndNothingStored() throws Exception {
        String id = "y".repeat(400);
        int n = 16 * 1024 * 1024 / (id.length() + 30) + 10;
        String body = IntStream.range(0, n).mapToObj(i -> "{\"id\":\"" + id + i + "\",\"tenant\":\"huge\"}")
                .collect(Collectors.joining(",", "[", "]"));

        HttpResponse<String> r = cluster.post(body);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("max_body_bytes");
        assertThat(cluster.count("huge")).isZero();
    }

    @Test
    void post_tenantsThatLookLikePaths_areDataNotFiles() throws Exception {
        List<String> tenants = List.of("../x", "a/b", "with space", "plus+sign", "ünïcödé ✓", "..", "/etc/passwd");
        for (String t : tenants) {
            String json = t.replace("\\", "\\\\").replace("\"", "\\\"");
            HttpResponse<String> r = cluster.post("[{\"id\":\"1\",\"tenant\":\"" + json + "\"},{\"id\":\"2\",\"tenant\":\"" + json + "\"}]");
            assertThat(r.statusCode()).as(t + ": " + r.body()).isEqualTo(200);
        }

        for (String t : tenants) {
            assertThat(cluster.count(t)).as(t).isEqualTo(2);
        }
        assertThat(Files.exists(cluster.dir.resolve("x"))).isFalse();
        try (Stream<Path> entries = Files.list(cluster.dir.resolve("db"))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.matches("\\d+|countapp\\.meta"));
        }
    }

    @Test
    void count_unencodedSlashInTenant_isPartOfTheTenant() throws Exception {
        cluster.post("[{\"id\":\"1\",\"tenant\":\"slash/ed\"}]");

        HttpResponse<String> r = cluster.get("/items/slash/ed/count");

        assertThat(r.body()).isEqualTo("{\"count\":1}");
    }

    @Test
    void unknownPathAndWrongMethod_jsonErrors() throws Exception {
        HttpResponse<String> missing = cluster.get("/nope");
        HttpResponse<String> wrongMethod = cluster.get("/items");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).startsWith("{\"error\":");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).contains("use POST");
    }

    @Test
    void worker_directRequestForPartitionItDoesNotOwn_421() throws Exception {
        // Some tenant lands on a partition owned by another worker than the first one.
        int workerPort = cluster.workerPorts.get(0);
        String owned = Cluster.get(workerPort, "/").body();
        assertThat(owned).contains("\"status\":\"ok\"");
        String misrouted = null;
        for (int i = 0; misrouted == null; i++) {
            String tenant = "probe-" + i;
            HttpResponse<String> r = Cluster.get(workerPort, "/items/" + tenant + "/count");
            if (r.statusCode() == 421) {
                misrouted = tenant;
                assertThat(r.body()).contains("is not open on this worker").contains("\"partition\":");
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }

        HttpResponse<String> post = Cluster.post(workerPort, "[{\"id\":\"1\",\"tenant\":\"" + misrouted + "\"}]");

        assertThat(post.statusCode()).isEqualTo(421);
        assertThat(cluster.count(misrouted)).isZero();
    }

    @Test
    void worker_channelUpgrade_withoutOrWithWrongSecret_refused() throws Exception {
        int workerPort = cluster.workerPorts.get(0);
        java.net.http.HttpRequest.Builder upgrade = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + workerPort + "/channel"));

        // The JDK client may not set Upgrade itself; a request without the secret is refused before that matters.
        assertThat(Cluster.send(upgrade.GET().build()).statusCode()).isEqualTo(401);
        assertThat(Cluster.send(upgrade.header("X-CountApp-Secret", "wrong-secret-0123456789").GET().build())
                .statusCode()).isEqualTo(403);
    }

    @Test
    void post_manyConcurrentSingleItems_coalescedPerWorkerAndExact() throws Exception {
        int clients = 32;
        int postsPerClient = 80;
        double framesBefore = workerFrames();
        AtomicLong added = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random random = new Random(100 + c);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < postsPerClient; i++) { // overlapping ids: many posts repeat a pair
                        String tenant = "single-" + random.nextInt(7);
                        HttpResponse<String> r = cluster.post(items(tenant, List.of("id" + random.nextInt(150))));
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        added.addAndGet(longField(r.body(), "added"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long counted = 0;
        for (int t = 0; t < 7; t++) {
            counted += cluster.count("single-" + t);
        }
        assertThat(added.get()).as("sum of the answers' added").isEqualTo(counted);
        double frames = workerFrames() - framesBefore;
        System.out.printf("%d client POSTs reached the workers as %.0f channel frames%n", clients * postsPerClient, frames);
        assertThat(frames).as("frames for the client requests").isPositive().isLessThan(clients * postsPerClient);
    }

    private static double workerFrames() throws Exception {
        double sum = 0;
        for (int port : cluster.workerPorts) {
            sum += Scrape.of(port).sum("countapp_channel_frames_total");
        }
        return sum;
    }
}
