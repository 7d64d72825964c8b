package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.placement.Partitioner;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged items survive SIGKILL of any CountApp process (DESIGN guarantee 1). */
class CrashIT {
    @TempDir
    Path dir;

    @Test
    void workerSigkilledRightAfterAck_respawnedWorkerStillCountsEverything() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, "")) {
            String tenant = "crash-tenant";
            List<String> ids = IntStream.range(0, 500).mapToObj(i -> "id-" + i).collect(Collectors.toList());
            int ownerPort = ownerPort(cluster, tenant);
            long pid = cluster.workerPid(ownerPort);

            HttpResponse<String> ack = cluster.post(items(tenant, ids));
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL right after the 200

            assertThat(ack.body()).isEqualTo("{\"received\":500,\"added\":500}");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Cluster.process(pid).isEmpty());
            // At once: the partition fails over to the surviving worker, which opens the same data.
            assertThat(cluster.count(tenant)).isEqualTo(500);
            // Then the respawned worker takes its partitions back once the survivor has released them.
            cluster.awaitSettled(2);
            assertThat(cluster.workerPid(ownerPort)).isNotEqualTo(pid);
            assertThat(ownerPort(cluster, tenant)).isEqualTo(ownerPort);
            assertThat(cluster.count(tenant)).isEqualTo(500);
            assertThat(cluster.post(items(tenant, ids)).body()).isEqualTo("{\"received\":500,\"added\":0}");
        }
    }

    @Test
    void everyProcessSigkilled_restartedClusterStillCountsEverything() throws Exception {
        Cluster first = Cluster.start(dir, 2, "");
        List<String> tenants = List.of("k1", "k2", "k3", "k4");
        try {
            for (String t : tenants) {
                List<String> ids = IntStream.range(0, 300).mapToObj(i -> t + "-" + i).collect(Collectors.toList());
                assertThat(first.post(items(t, ids)).statusCode()).isEqualTo(200);
            }
            List<ProcessHandle> workers = first.workerProcesses();
            assertThat(workers).hasSize(2);
            first.coordinator().destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
            first.coordinator().waitFor(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            first.close();
        }

        first.startCoordinator(); // same folder, same ports, same database
        try {
            for (String t : tenants) {
                assertThat(first.count(t)).as(t).isEqualTo(300);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void workerKilledGracefully_viaKillEndpoint_isRespawnedAndKeepsItems() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, "")) {
            String tenant = "graceful";
            int ownerPort = ownerPort(cluster, tenant);
            long pid = cluster.workerPid(ownerPort);
            assertThat(cluster.post(items(tenant, List.of("1", "2", "3"))).statusCode()).isEqualTo(200);

            HttpResponse<String> kill = Cluster.kill(ownerPort);

            assertThat(kill.statusCode()).isEqualTo(200);
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !handle.isAlive());
            assertThat(cluster.count(tenant)).isEqualTo(3);
        }
    }

    /** The port of the worker that owns {@code tenant}'s partition, from the coordinator's table. */
    static int ownerPort(Cluster cluster, String tenant) throws Exception {
        String status = cluster.get("/").body();
        String table = status.substring(status.indexOf("\"partitions\":[\"") + "\"partitions\":[".length(), status.lastIndexOf(']'));
        String[] owners = table.replace("\"", "").split(",");
        String owner = owners[new Partitioner(owners.length).partitionOf(tenant)];
        return Integer.parseInt(owner.substring(owner.lastIndexOf(':') + 1));
    }
}
