package countapp.store.redis;

import static countapp.store.StoreFixtures.add;
import static countapp.store.StoreFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.RedisConfig;
import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.Partition;
import countapp.store.TenantCount;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows and erasure on a Redis Cluster with a replica per master and {@code redis_wait_replicas: 1}: a
 * tenant's sets share its slot (so the scripts are not cross-slot), the registry lives on another node,
 * and each node's writes are followed by a {@code WAIT} on that node.
 */
class RedisClusterWindowsTest {
    @TempDir
    Path dir;

    @Test
    void windowsAndErasure_clusterWithWaitReplicas_exactAcrossNodes() throws Exception {
        RedisServers.assumeInstalled();
        int today = (int) LocalDate.now(ZoneOffset.UTC).toEpochDay();
        try (RedisServers.RedisCluster cluster = RedisServers.cluster(dir, 3, 1)) {
            List<RedisConfig.HostPort> nodes = new ArrayList<>();
            cluster.nodes.forEach(n -> nodes.add(new RedisConfig.HostPort("127.0.0.1", n.port)));
            RedisConfig config = new RedisConfig(nodes, false, null, 1, Duration.ofSeconds(20));
            try (RedisStore store = RedisStore.connect(config, 4, new Retention(35, 13), Clock.systemUTC())) {
                Partition p = store.open(0, Duration.ofSeconds(1));
                int n = 60; // tenants enough to land on every master
                List<String> tenants = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                List<Integer> days = new ArrayList<>();
                for (int t = 0; t < n; t++) {
                    for (int d = 0; d < 3; d++) { // the same id on three days, and one more id today
                        tenants.add("tenant-" + t);
                        ids.add("same");
                        days.add(today - d);
                    }
                    tenants.add("tenant-" + t);
                    ids.add("other");
                    days.add(today);
                }
                ItemBatch batch = ItemBatch.of(tenants.toArray(String[]::new), ids.toArray(String[]::new),
                        days.stream().mapToInt(Integer::intValue).toArray());

                assertThat(add(p, batch)).isEqualTo(2L * n);
                for (int t = 0; t < n; t++) {
                    assertThat(await(p.count("tenant-" + t, Window.days(today - 2, today)))).isEqualTo(2);
                    assertThat(await(p.count("tenant-" + t, Window.day(today - 1)))).isEqualTo(1);
                }
                for (RedisServers.Server master : cluster.liveMasters()) {
                    assertThat(Long.parseLong(RedisServers.cli(master.port, "dbsize"))).as("keys on every master").isPositive();
                }

                assertThat(await(p.erase("tenant-1", "same"))).isEqualTo(1);
                assertThat(await(p.count("tenant-1", Window.days(today - 2, today)))).isEqualTo(1);
                assertThat(await(p.eraseTenant("tenant-2"))).isEqualTo(2);

                Map<String, Long> listed = new HashMap<>();
                CountCursor cursor = p.counts(Window.day(today));
                for (List<TenantCount> chunk = await(cursor.next(7)); !chunk.isEmpty(); chunk = await(cursor.next(7))) {
                    chunk.forEach(c -> assertThat(listed.put(c.tenant(), c.count())).isNull());
                }
                assertThat(listed).hasSize(n - 1).doesNotContainKey("tenant-2").containsEntry("tenant-1", 1L)
                        .containsEntry("tenant-3", 2L);
            }
        }
    }
}
