package countapp.store.redis;

import static countapp.store.StoreFixtures.add;
import static countapp.store.StoreFixtures.addAsync;
import static countapp.store.StoreFixtures.batch;
import static countapp.store.StoreFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.config.RedisConfig;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis backend against a real standalone redis-server. */
class RedisStoreTest {
    private static final int PARTITIONS = 8;
    @TempDir
    static Path dir;
    private static RedisServers.Server server;
    private static RedisStore store;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisServers.assumeInstalled();
        server = RedisServers.standalone(dir);
        store = RedisStore.connect(config(server.port, 0), PARTITIONS);
    }

    @AfterAll
    static void stopRedis() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() {
        // Every test starts from an empty set of tenants but keeps the partition metadata.
        RedisServers.cli(server.port, "eval", "for _,k in ipairs(redis.call('keys','countapp:{*')) do redis.call('del',k) end", "0");
    }

    private static RedisConfig config(int port, int wait) {
        // A generous command timeout: these tests check exactness, not how fast a loaded machine answers.
        return config(port, wait, java.time.Duration.ofSeconds(20));
    }

    private static RedisConfig config(int port, int wait, java.time.Duration timeout) {
        return new RedisConfig(List.of(new RedisConfig.HostPort("127.0.0.1", port)), false, null, wait, timeout);
    }

    @Test
    void add_duplicatesWithinAndAcrossAdds_countedOnce() throws Exception {
        Partition p = store.open(0, Duration.ofSeconds(1));

        assertThat(add(p, batch("t1", "a", "t1", "a", "t2", "a", "t1", "b"))).isEqualTo(3);
        assertThat(add(p, batch("t1", "a", "t1", "c", "t2", "a"))).isEqualTo(1);
        assertThat(count(p, "t1")).isEqualTo(3);
        assertThat(count(p, "t2")).isEqualTo(1);
    }

    @Test
    void count_unknownTenant_isZero() throws Exception {
        assertThat(count(store.open(3, Duration.ofSeconds(1)), "nobody")).isZero();
    }

    @Test
    void add_subsetOfIndices_addsOnlyThose() throws Exception {
        Partition p = store.open(1, Duration.ofSeconds(1));
        ItemBatch b = batch("t", "x", "u", "y", "t", "z");

        assertThat(p.add(b, new int[] {0, 2, 1}, 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(count(p, "t")).isEqualTo(2);
        assertThat(count(p, "u")).isZero();
    }

    @Test
    void add_concurrentOverlappingAdds_sumOfAddedEqualsCountEqualsScard() throws Exception {
        List<Partition> partitions = List.of(store.open(2, Duration.ofSeconds(1)), store.open(2, Duration.ofSeconds(1)));
        List<CompletableFuture<Long>> adds = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            Partition p = partitions.get(client % 2);
            for (int round = 0; round < 25; round++) {
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    // Overlapping ids: clients share the id space, so many adds race on the same members.
                    pairs.add("tenant-" + (i % 3));
                    pairs.add("id-" + ((round * 40 + i * 7 + client) % 500));
                }
                adds.add(addAsync(p, batch(pairs.toArray(String[]::new))));
            }
        }
        long added = 0;
        for (CompletableFuture<Long> f : adds) {
            added += f.get(30, TimeUnit.SECONDS);
        }
        long counted = 0;
        for (int t = 0; t < 3; t++) {
            long c = count(partitions.get(0), "tenant-" + t);
            long scard = Long.parseLong(RedisServers.cli(server.port, "scard", RedisPartition.key("tenant-" + t)));
            assertThat(c).isEqualTo(scard);
            counted += c;
        }
        assertThat(added).isEqualTo(counted);
    }

    @Test
    void add_unicodeAndKeyLikeTenants_keptApart() throws Exception {
        Partition p = store.open(4, Duration.ofSeconds(1));

        add(p, batch("a}:items", "1", "a", "1", "a", "2", "{a}", "1", "ü/../x", "1"));

        assertThat(count(p, "a")).isEqualTo(2);
        assertThat(count(p, "a}:items")).isEqualTo(1);
        assertThat(count(p, "{a}")).isEqualTo(1);
        assertThat(count(p, "ü/../x")).isEqualTo(1);
    }

    @Test
    void close_thenAdd_failsAsNotOpen() throws Exception {
        Partition p = store.open(5, Duration.ofSeconds(1));
        p.close().get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> addAsync(p, batch("t", "x")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PartitionClosedException.class);
    }

    @Test
    void connect_otherPartitionCount_refusedNamingBoth() {
        assertThatThrownBy(() -> RedisStore.connect(config(server.port, 0), PARTITIONS + 1).close())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("partitions: " + PARTITIONS).hasMessageContaining("partitions: " + (PARTITIONS + 1));
    }

    @Test
    void add_waitForReplicaWithoutReplicas_failsAfterBoundedWait() throws Exception {
        try (RedisStore waiting = RedisStore.connect(config(server.port, 1, java.time.Duration.ofSeconds(2)), PARTITIONS)) {
            Partition p = waiting.open(6, Duration.ofSeconds(1));
            long start = System.nanoTime();

            assertThatThrownBy(() -> addAsync(p, batch("w", "1")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class).hasMessageContaining("replicas");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void add_redisDown_failsWithinTimeoutThenRecoversAfterRestart() throws Exception {
        Path own = dir.resolve("down");
        java.nio.file.Files.createDirectories(own);
        try (RedisServers.Server s = RedisServers.standalone(own);
                RedisStore st = RedisStore.connect(config(s.port, 0, java.time.Duration.ofSeconds(2)), PARTITIONS)) {
            Partition p = st.open(7, Duration.ofSeconds(1));
            assertThat(add(p, batch("d", "1"))).isEqualTo(1);
            s.kill();
            long start = System.nanoTime();

            assertThatThrownBy(() -> addAsync(p, batch("d", "2")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            s.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long added = -1;
            while (added < 0) {
                try {
                    added = addAsync(p, batch("d", "3")).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(System.nanoTime()).as("recovered within 30 s: %s", e).isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
            assertThat(count(p, "d")).isBetween(2L, 3L); // "2" may or may not have reached Redis
        }
    }

    @Test
    void count_whileAnAddWaitsForAbsentReplicas_answersWithoutWaitingForTheWait() throws Exception {
        try (RedisStore waiting = RedisStore.connect(config(server.port, 1, java.time.Duration.ofSeconds(6)), PARTITIONS)) {
            Partition p = waiting.open(5, Duration.ofSeconds(1));
            CompletableFuture<Long> stalled = addAsync(p, batch("w2", "1")); // its WAIT blocks for 3 s
            Thread.sleep(200);
            long start = System.nanoTime();

            long count = p.count("w2").get(10, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a count beside a WAIT")
                    .isLessThan(Duration.ofMillis(1500));
            assertThat(count).isEqualTo(1); // the SADD itself went through; only its confirmation waits
            assertThatThrownBy(() -> stalled.get(10, TimeUnit.SECONDS)).hasMessageContaining("replicas");
        }
    }

    @Test
    void ids_thousandsOfIds_everyIdListedAcrossScanSteps() throws Exception {
        Partition p = store.open(4, Duration.ofSeconds(1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ids.add("id-" + i);
        }
        String[] tenants = new String[ids.size()];
        java.util.Arrays.fill(tenants, "many");
        ItemBatch b = ItemBatch.of(tenants, ids.toArray(String[]::new));
        assertThat(p.add(b, java.util.stream.IntStream.range(0, ids.size()).toArray(), ids.size()).get(20, TimeUnit.SECONDS))
                .isEqualTo(3000);

        java.util.Set<String> listed = new java.util.HashSet<>();
        String cursor = null;
        int steps = 0;
        do {
            countapp.store.IdChunk chunk = p.ids("many", cursor, 500).get(10, TimeUnit.SECONDS);
            listed.addAll(chunk.ids());
            cursor = chunk.next();
            steps++;
        } while (cursor != null);

        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(steps).isGreaterThan(1);
        assertThat(p.ids("nobody", null, 10).get(10, TimeUnit.SECONDS).complete()).isTrue();
    }
}
