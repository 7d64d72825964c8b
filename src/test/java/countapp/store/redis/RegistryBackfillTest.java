package countapp.store.redis;

import static countapp.store.StoreFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.RedisConfig;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.placement.Partitioner;
import countapp.store.CountCursor;
import countapp.store.Partition;
import countapp.store.TenantCount;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-time backfill of the tenant registries, against a real redis-server: tenants written the way a
 * version before the registry wrote them (only {@code countapp:{t}:items}) reach the counts export.
 */
class RegistryBackfillTest {
    private static final int PARTITIONS = 8;
    private static final int TENANTS = 2_000;
    /** Tenants whose names hold the key's own delimiters. */
    private static final List<String> ODD_TENANTS = List.of("a}b", "{x}", "c:d", "}:items", "{", "}", ":", "{}",
            "x}:items}:items", "countapp:{y}:items", "}{", "t:{1}:day:3", "ünï{cø}de");

    @TempDir
    static Path dir;
    private static RedisServers.Server server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> raw;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisServers.assumeInstalled();
        server = RedisServers.standalone(dir);
        client = RedisClient.create(RedisURI.create("127.0.0.1", server.port));
        raw = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        if (raw != null) {
            raw.close();
        }
        if (client != null) {
            client.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() {
        raw.sync().flushall();
    }

    private static RedisConfig config() {
        return new RedisConfig(List.of(new RedisConfig.HostPort("127.0.0.1", server.port)), false, null, 0,
                Duration.ofSeconds(20));
    }

    private static RedisStore connect(RedisConfig config) {
        return RedisStore.connect(config, PARTITIONS, Retention.NONE, Clock.systemUTC());
    }

    private static RegistryBackfill.Outcome backfillOf(RedisStore store) throws Exception {
        CompletableFuture<RegistryBackfill.Outcome> outcome = store.registryBackfill();
        assertThat(outcome).as("a worker's connect starts the backfill").isNotNull();
        return outcome.get(60, TimeUnit.SECONDS);
    }

    /**
     * Writes {@code TENANTS} tenants as an earlier version did: each tenant's ids in its all-time set, and
     * no registry. Tenant i holds 1 + i % 7 ids. Returns each tenant's count.
     */
    private static Map<String, Long> writeOldTenants(RedisClusterAsyncCommands<String, String> on) throws Exception {
        Map<String, Long> expected = new HashMap<>();
        List<RedisFuture<Long>> replies = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            String tenant = i < ODD_TENANTS.size() ? ODD_TENANTS.get(i) : "tenant-" + i;
            String[] ids = new String[1 + i % 7];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = "id-" + k;
            }
            replies.add(on.sadd("countapp:{" + tenant + "}:items", ids));
            expected.put(tenant, (long) ids.length);
        }
        for (RedisFuture<Long> r : replies) {
            r.get(30, TimeUnit.SECONDS);
        }
        assertThat(expected).hasSize(TENANTS);
        return expected;
    }

    /** The all-time counts export of every partition, each tenant checked to be listed once, by its own partition. */
    private static Map<String, Long> export(RedisStore store) {
        Partitioner partitioner = new Partitioner(PARTITIONS);
        Map<String, Long> listed = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            Partition partition = store.open(p, Duration.ofSeconds(5));
            CountCursor cursor = partition.counts(Window.ALL);
            for (List<TenantCount> chunk = await(cursor.next(300)); !chunk.isEmpty(); chunk = await(cursor.next(300))) {
                for (TenantCount c : chunk) {
                    assertThat(listed.put(c.tenant(), c.count())).as("listed once: %s", c.tenant()).isNull();
                    assertThat(partitioner.partitionOf(c.tenant())).as("partition of %s", c.tenant()).isEqualTo(p);
                }
            }
            await(partition.close());
        }
        return listed;
    }

    @Test
    void tenantOf_delimitersInTenant_cutByLength() {
        for (String tenant : ODD_TENANTS) {
            assertThat(RegistryBackfill.tenantOf(RedisKeys.items(tenant))).isEqualTo(tenant);
        }
        assertThat(RegistryBackfill.tenantOf(RedisKeys.items(""))).isEmpty();
        assertThat(RegistryBackfill.tenantOf(RedisKeys.day("t", 3))).isNull();
        assertThat(RegistryBackfill.tenantOf(RedisKeys.month("t}:items", 3))).isNull();
        assertThat(RegistryBackfill.tenantOf(RedisKeys.tenants(1))).isNull();
        assertThat(RegistryBackfill.tenantOf("countapp:{}:item")).isNull();
    }

    @Test
    void connect_tenantsStoredBeforeRegistry_exportListsEachOnceWithItsCount() throws Exception {
        Map<String, Long> expected = writeOldTenants(raw.async());
        try (RedisStore store = connect(config())) {
            assertThat(backfillOf(store)).isEqualTo(RegistryBackfill.Outcome.FILLED);
            assertThat(raw.sync().get(RegistryBackfill.FILLED_KEY)).isEqualTo("1");
            assertThat(export(store)).isEqualTo(expected);
        }
    }

    @Test
    void connect_flagPresent_doesNotScanAgain() throws Exception {
        Map<String, Long> expected = writeOldTenants(raw.async());
        try (RedisStore first = connect(config())) {
            assertThat(backfillOf(first)).isEqualTo(RegistryBackfill.Outcome.FILLED);
        }
        // A tenant stored without the registry after the backfill: only a new scan would register it.
        raw.sync().sadd(RedisKeys.items("unregistered"), "id");
        try (RedisStore second = connect(config())) {
            assertThat(backfillOf(second)).isEqualTo(RegistryBackfill.Outcome.ALREADY_FILLED);
            int partition = new Partitioner(PARTITIONS).partitionOf("unregistered");
            assertThat(raw.sync().zscore(RedisKeys.tenants(partition), "unregistered")).isNull();
            assertThat(export(second)).isEqualTo(expected);
        }
    }

    @Test
    void connect_partitionCountOnly_startsNoBackfill() throws Exception {
        writeOldTenants(raw.async());
        try (RedisStore store = RedisStore.connect(config(), PARTITIONS)) {
            assertThat(store.registryBackfill()).isNull();
        }
        assertThat(raw.sync().exists(RegistryBackfill.FILLED_KEY)).isZero();
    }

    @Test
    void close_duringBackfill_stopsQuietlyAndNextConnectFinishes() throws Exception {
        Map<String, Long> expected = writeOldTenants(raw.async());
        // Other keys, so the scan takes a hundred pages or more and the close lands in the middle of it.
        List<RedisFuture<String>> fills = new ArrayList<>();
        for (int chunk = 0; chunk < 200; chunk++) {
            Map<String, String> keys = new HashMap<>();
            for (int k = 0; k < 1000; k++) {
                keys.put("other:" + chunk + ":" + k, "x");
            }
            fills.add(raw.async().mset(keys));
        }
        for (RedisFuture<String> f : fills) {
            f.get(30, TimeUnit.SECONDS);
        }
        RedisStore closedMidway;
        try (RedisStore store = connect(config())) {
            closedMidway = store;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (registered() == 0 && !store.registryBackfill().isDone() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        // The backfill stops (or, on a fast machine, has already finished); it never fails.
        RegistryBackfill.Outcome first = backfillOf(closedMidway);
        assertThat(first).isIn(RegistryBackfill.Outcome.STOPPED, RegistryBackfill.Outcome.FILLED);
        assertThat(raw.sync().exists(RegistryBackfill.FILLED_KEY)).as("flag set only by a finished backfill")
                .isEqualTo(first == RegistryBackfill.Outcome.FILLED ? 1L : 0L);
        try (RedisStore store = connect(config())) {
            assertThat(backfillOf(store)).isEqualTo(first == RegistryBackfill.Outcome.FILLED
                    ? RegistryBackfill.Outcome.ALREADY_FILLED : RegistryBackfill.Outcome.FILLED);
            assertThat(export(store)).isEqualTo(expected);
        }
    }

    /** How many tenants the registries hold. */
    private static long registered() {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            n += raw.sync().zcard(RedisKeys.tenants(p));
        }
        return n;
    }

    @Test
    void connect_clusterOfThreeMasters_registersTenantsFromEveryMaster(@TempDir Path clusterDir) throws Exception {
        try (RedisServers.RedisCluster cluster = RedisServers.cluster(clusterDir, 3, 0)) {
            List<RedisURI> seeds = new ArrayList<>();
            List<RedisConfig.HostPort> nodes = new ArrayList<>();
            for (RedisServers.Server n : cluster.nodes) {
                seeds.add(RedisURI.create("127.0.0.1", n.port));
                nodes.add(new RedisConfig.HostPort("127.0.0.1", n.port));
            }
            RedisClusterClient cc = RedisClusterClient.create(seeds);
            try (StatefulRedisClusterConnection<String, String> c = cc.connect()) {
                Map<String, Long> expected = writeOldTenants(c.async());
                for (RedisServers.Server master : cluster.liveMasters()) {
                    assertThat(Long.parseLong(RedisServers.cli(master.port, "dbsize"))).as("keys on every master")
                            .isPositive();
                }
                RedisConfig config = new RedisConfig(nodes, false, null, 0, Duration.ofSeconds(20));
                try (RedisStore store = connect(config)) {
                    assertThat(backfillOf(store)).isEqualTo(RegistryBackfill.Outcome.FILLED);
                    assertThat(c.sync().get(RegistryBackfill.FILLED_KEY)).isEqualTo("1");
                    assertThat(export(store)).isEqualTo(expected);
                }
            } finally {
                cc.shutdown();
            }
        }
    }
}
