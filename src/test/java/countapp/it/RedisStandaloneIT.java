package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.store.redis.RedisServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CountApp on a standalone redis-server: the API, and Redis going away under load and coming back. */
class RedisStandaloneIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void requireRedis() {
        RedisServers.assumeInstalled();
    }

    @Test
    void seedScenarioAndDuplicates_onStandaloneRedis_countedExactly() throws Exception {
        Files.createDirectories(dir.resolve("redis"));
        try (RedisServers.Server redis = RedisServers.standalone(dir.resolve("redis"));
                Cluster cluster = Cluster.start(dir, 2, "", redis.url())) {
            HttpResponse<String> r = cluster.post("[{\"id\":\"1\",\"tenant\":\"t1\"},{\"id\":\"2\",\"tenant\":\"t2\"},"
                    + "{\"id\":\"2\",\"tenant\":\"t3\"},{\"id\":\"4\",\"tenant\":\"t1\"}]");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"received\":4,\"added\":4}");
            assertThat(cluster.count("t1")).isEqualTo(2);
            assertThat(cluster.count("t2")).isEqualTo(1);
            assertThat(cluster.count("nobody")).isZero();
            assertThat(cluster.post(items("t1", List.of("1", "4", "5", "5"))).body()).isEqualTo("{\"received\":4,\"added\":1}");
            assertThat(cluster.count("t1")).isEqualTo(3);
            assertThat(RedisServers.cli(redis.port, "scard", "countapp:{t1}:items")).isEqualTo("3");
        }
    }

    @Test
    void ids_onRedis_everyIdListedAsJsonLines() throws Exception {
        Files.createDirectories(dir.resolve("redis"));
        try (RedisServers.Server redis = RedisServers.standalone(dir.resolve("redis"));
                Cluster cluster = Cluster.start(dir, 1, "", redis.url())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                ids.add("u" + i);
            }
            assertThat(cluster.post(items("dumped", ids)).statusCode()).isEqualTo(200);

            HttpResponse<String> r = cluster.get("/items/dumped/ids");

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Set<String> listed = new java.util.HashSet<>();
            for (String line : r.body().split("\n")) {
                assertThat(line).endsWith(",\"tenant\":\"dumped\"}");
                listed.add(line.substring("{\"id\":\"".length(), line.indexOf('"', "{\"id\":\"".length())));
            }
            assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /**
     * Redis is SIGKILLed under load and stays down past the coordinator's 30 s retry deadline, then comes
     * back. Clients must see only 200s and 503s, every 200-acknowledged item must be counted afterwards
     * (AOF with appendfsync always keeps them across the restart), and CountApp must recover by itself.
     */
    @Test
    void redisKilledUnderLoadThenRestarted_503sNoFalse200sAndRecovers() throws Exception {
        Files.createDirectories(dir.resolve("redis"));
        try (RedisServers.Server redis = RedisServers.standalone(dir.resolve("redis"));
                Cluster cluster = Cluster.start(dir, 2, "failover_timeout: 5\n", redis.url())) {
            List<String> tenants = List.of("down-0", "down-1", "down-2", "down-3");
            Map<String, Set<String>> sent = new ConcurrentHashMap<>();
            Map<String, Set<String>> acked = new ConcurrentHashMap<>();
            tenants.forEach(t -> {
                sent.put(t, ConcurrentHashMap.newKeySet());
                acked.put(t, ConcurrentHashMap.newKeySet());
            });
            Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    long seq = 0;
                    while (running.get()) {
                        String tenant = tenants.get((int) (seq % tenants.size()));
                        List<String> ids = List.of("c" + client + "-" + seq++, "c" + client + "-" + seq++);
                        sent.get(tenant).addAll(ids);
                        try {
                            HttpResponse<String> r = cluster.post(items(tenant, ids));
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                            if (r.statusCode() == 200) {
                                acked.get(tenant).addAll(ids);
                            } else if (r.statusCode() != 503 || !r.body().contains("\"error\"")) {
                                unexpected.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            unexpected.add(e.toString());
                        }
                    }
                }, "redis-down-client-" + c);
                t.setDaemon(true);
                clients.add(t);
                t.start();
            }
            try {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> statuses.containsKey(200)
                        && statuses.get(200).get() > 20);
                long workerPid = cluster.workerPid(cluster.workerPorts.get(0));
                int owner = CrashIT.ownerPort(cluster, "down-0"); // a worker answers only for its partitions
                redis.kill();

                // A worker asked directly answers 503 with a JSON error within its Redis command timeout.
                long start = System.nanoTime();
                HttpResponse<String> direct = Cluster.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + owner + "/items/down-0/count"))
                        .timeout(Duration.ofSeconds(20)).GET().build());
                assertThat(direct.statusCode()).as(direct.body()).isEqualTo(503);
                assertThat(direct.body()).startsWith("{\"error\":").contains("Redis");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));

                // Through the coordinator: 503 once failover_timeout (5 s here) has passed.
                Awaitility.await().atMost(Duration.ofSeconds(25)).until(() -> statuses.containsKey(503));
                redis.start();
                long okBefore = statuses.get(200).get();
                Awaitility.await("recovery without restarting CountApp").atMost(Duration.ofSeconds(40))
                        .until(() -> statuses.get(200).get() > okBefore + 20);
                assertThat(cluster.workerPid(cluster.workerPorts.get(0))).isEqualTo(workerPid);
            } finally {
                running.set(false);
                for (Thread t : clients) {
                    t.join(90_000);
                }
            }
            long totalAcked = 0;
            long totalCounted = 0;
            long totalSent = 0;
            for (String tenant : tenants) {
                long count = cluster.count(tenant);
                totalAcked += acked.get(tenant).size();
                totalSent += sent.get(tenant).size();
                totalCounted += count;
                assertThat(count).as("%s: every 200-acknowledged item is counted", tenant)
                        .isGreaterThanOrEqualTo(acked.get(tenant).size());
                assertThat(count).as("%s: nothing counted that was never sent", tenant)
                        .isLessThanOrEqualTo(sent.get(tenant).size());
            }
            System.out.printf("[redis-down] statuses=%s sent=%d acked=%d counted=%d%n", statuses, totalSent,
                    totalAcked, totalCounted);
            assertThat(unexpected).as("answers other than 200 or a JSON 503").isEmpty();
        }
    }
}
