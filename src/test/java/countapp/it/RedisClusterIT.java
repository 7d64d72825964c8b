package countapp.it;

import static countapp.it.Cluster.items;
import static countapp.it.Cluster.longField;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.store.redis.RedisServers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two independent CountApp deployments (each a coordinator with its own spawned workers) sharing one
 * 3-master Redis Cluster: what one acknowledges the other counts, and a pair sent through both counts once.
 */
class RedisClusterIT {
    @TempDir
    static Path dir;
    static RedisServers.RedisCluster redis;
    static Cluster a;
    static Cluster b;

    @BeforeAll
    static void start() throws Exception {
        RedisServers.assumeInstalled();
        redis = RedisServers.cluster(dir.resolve("redis"), 3, 0);
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        a = Cluster.start(dir.resolve("a"), 2, "", redis.url());
        b = Cluster.start(dir.resolve("b"), 1, "", redis.url());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    @Test
    void seedScenario_postedThroughOneCoordinator_countedThroughBoth() throws Exception {
        HttpResponse<String> r = a.post("[{\"id\":\"1\",\"tenant\":\"seed-t1\"},{\"id\":\"2\",\"tenant\":\"seed-t2\"},"
                + "{\"id\":\"2\",\"tenant\":\"seed-t3\"},{\"id\":\"4\",\"tenant\":\"seed-t1\"}]");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"received\":4,\"added\":4}");
        for (Cluster c : List.of(a, b)) {
            assertThat(c.count("seed-t1")).isEqualTo(2);
            assertThat(c.count("seed-t2")).isEqualTo(1);
            assertThat(c.count("seed-t3")).isEqualTo(1);
            assertThat(c.count("seed-unknown")).isZero();
        }
        assertThat(b.post(items("seed-t1", List.of("1", "4"))).body()).isEqualTo("{\"received\":2,\"added\":0}");
    }

    @Test
    void concurrentOverlappingClients_throughBothCoordinators_eachPairCountedOnce() throws Exception {
        List<String> tenants = List.of("ov-0", "ov-1", "ov-2", "ov-3", "ov-4");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                Cluster via = client % 2 == 0 ? a : b;
                int seed = client;
                results.add(pool.submit(() -> {
                    long added = 0;
                    for (int round = 0; round < 15; round++) {
                        StringBuilder body = new StringBuilder("[");
                        for (int i = 0; i < 50; i++) {
                            // Every client draws from the same 300 ids per tenant, so sends overlap heavily.
                            String tenant = tenants.get((i + round) % tenants.size());
                            String id = "id-" + ((seed * 31 + round * 17 + i * 13) % 300);
                            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                                    .append("\",\"tenant\":\"").append(tenant).append("\"}");
                        }
                        HttpResponse<String> r = via.post(body.append(']').toString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        added += longField(r.body(), "added");
                    }
                    return added;
                }));
            }
            long added = 0;
            for (Future<Long> f : results) {
                added += f.get();
            }
            Set<String> expected = new HashSet<>();
            for (int client = 0; client < 8; client++) {
                for (int round = 0; round < 15; round++) {
                    for (int i = 0; i < 50; i++) {
                        expected.add(tenants.get((i + round) % tenants.size()) + "/" + ((client * 31 + round * 17 + i * 13) % 300));
                    }
                }
            }
            long countedA = 0;
            for (String t : tenants) {
                long ca = a.count(t);
                assertThat(b.count(t)).as("both coordinators agree on %s", t).isEqualTo(ca);
                countedA += ca;
            }
            assertThat(countedA).isEqualTo(expected.size());
            assertThat(added).as("sum of added over every response").isEqualTo(expected.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"id\":\"x\",\"tenant\":\"bad-t\"},{\"id\":\"\",\"tenant\":\"bad-t\"}]",
            "[{\"id\":\"x\",\"tenant\":\"bad-t\"},{\"tenant\":\"bad-t\"}]",
            "[{\"id\":\"x\",\"tenant\":\"bad-t\"},5]", "{\"id\":\"x\",\"tenant\":\"bad-t\"}", "[{\"id\":\"x\",\"tenant\":"})
    void badInput_throughEitherCoordinator_400AndNothingStored(String body) throws Exception {
        for (Cluster c : List.of(a, b)) {
            HttpResponse<String> r = c.post(body);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"error\":");
        }
        assertThat(a.count("bad-t")).isZero();
        assertThat(b.count("bad-t")).isZero();
    }

    /** The failover "set" test on the Redis backend: SIGKILL a worker under load; nothing lost, no errors. */
    @Test
    void workerSigkilledUnderLoad_noErrorsNoLoss() throws Exception {
        SetWorkload load = new SetWorkload(a, "rkill", 4, 6, 20).start().awaitProgress(100);
        int victim = a.workerPorts.get(0);
        long pid = a.workerPid(victim);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Cluster.process(pid).isEmpty());
        a.awaitSettled(2); // respawned and handed its partitions back
        load.awaitProgress(100);

        String figures = load.stopAndVerify();

        assertThat(figures).contains("errors=0");
    }
}
