package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (found by make bench): workers whose heap filled with the index died of OutOfMemoryError, and
 * a respawn replays the same pairs into the same heap. Now a worker near its heap ceiling refuses adds with
 * 507 and keeps serving counts, and no process dies.
 */
@Timeout(300)
class HeapFullIT {
    @TempDir
    Path dir;

    @Test
    void workerHeapFillsWithIndex_507NoCrashCountsExact() throws Exception {
        Cluster.Options small = Cluster.Options.defaults().workerJavaOpts("-Xmx48m");
        try (Cluster cluster = Cluster.start(dir, 1, "", small)) {
            long pid = cluster.workerPid(cluster.workerPorts.get(0));
            String tenant = "growing";
            long acked = 0;
            int next = 0;
            HttpResponse<String> refused = null;
            while (refused == null) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    ids.add(Integer.toString(next++));
                }
                HttpResponse<String> r = cluster.post(Cluster.items(tenant, ids));
                if (r.statusCode() == 200) {
                    acked += Cluster.longField(r.body(), "added");
                } else {
                    refused = r;
                }
                assertThat(next).as("a 48 MB heap should have filled by now").isLessThan(20_000_000);
            }

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
            assertThat(refused.body()).contains("heap", "COUNTAPP_WORKER_JAVA_OPTS");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(cluster.count(tenant)).as("reads work, and nothing refused is counted").isEqualTo(acked);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    cluster.get("/status").body().contains("\"partitions_write_blocked\":"));
            assertThat(cluster.workerPid(cluster.workerPorts.get(0))).as("the worker never died").isEqualTo(pid);
            assertThat(Files.readString(dir.resolve("coordinator.log"))).doesNotContain("exited with code");
        }
    }
}
