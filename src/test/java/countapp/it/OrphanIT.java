package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the coordinator, however it happens, leaves no worker behind (DESIGN guarantee 5). */
class OrphanIT {
    @TempDir
    Path dir;

    @Test
    void coordinatorSigterm_stopsEveryWorkerGracefully() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, "")) {
            List<ProcessHandle> workers = cluster.workerProcesses();
            assertThat(workers).hasSize(2);

            cluster.coordinator().destroy();

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(cluster.coordinator().waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void coordinatorSigkill_workersExitByThemselves() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, "")) {
            List<ProcessHandle> workers = cluster.workerProcesses();
            assertThat(workers).hasSize(2);

            cluster.coordinator().destroyForcibly();

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
        }
    }
}
