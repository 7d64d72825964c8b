package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.store.redis.RedisServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis master is SIGKILLed under load in a 3-master + 3-replica cluster, with
 * {@code redis_wait_replicas: 1}: an add is acknowledged only once a replica has it, so the replica
 * promoted by the failover holds every acknowledged item. The figures are printed for the README.
 */
class RedisFailoverIT {
    @TempDir
    Path dir;

    @Test
    void masterSigkilledUnderLoadWithWaitOneReplica_noAcknowledgedItemLost() throws Exception {
        RedisServers.assumeInstalled();
        Files.createDirectories(dir.resolve("app"));
        try (RedisServers.RedisCluster redis = RedisServers.cluster(dir.resolve("redis"), 3, 1);
                Cluster cluster = Cluster.start(dir.resolve("app"), 2, "redis_wait_replicas: 1\n", redis.url())) {
            SetWorkload load = new SetWorkload(cluster, "rfail", 4, 9, 20).start().awaitProgress(100);
            long ackedBefore = load.acknowledged();
            RedisServers.Server victim = redis.liveMasters().get(0);
            long killedAt = System.nanoTime();
            victim.kill();

            // A replica is promoted once the other masters agree the victim is down (cluster-node-timeout 2 s).
            Awaitility.await("a replica promoted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> redis.liveMasters().size() == 3);
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            // The old master comes back as a replica of the new one, so WAIT 1 can succeed on its slots again.
            victim.start();
            redis.awaitHealthy(Duration.ofSeconds(60));
            long rejoinedMs = (System.nanoTime() - killedAt) / 1_000_000;
            load.awaitProgress(100);

            String figures = load.stopAndVerify();
            System.out.printf("[redis-failover] wait_replicas=1 acked_before_kill=%d failover_ms=%d rejoined_ms=%d %s%n",
                    ackedBefore, failoverMs, rejoinedMs, figures);

            assertThat(figures).contains("lost=0").contains("errors=0");
        }
    }
}
