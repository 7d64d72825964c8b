package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.testing.SmallDisk;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database on a small real filesystem that fills up: writes are refused at once with 507, nothing
 * refused is counted, reads keep working, the status page and the metrics say which partition cannot write,
 * and once the filesystem grows, writes resume with no restart.
 */
@Timeout(300)
class DiskFullIT {
    @TempDir
    Path dir;

    @Test
    void databaseDiskFills_507AtOnceReadsWork_writesResumeWhenItGrows() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir, 24);
                Cluster cluster = Cluster.start(dir, 2, "", disk.dir.resolve("db").toString())) {
            String tenant = "filling";
            String padding = "x".repeat(400);
            long acked = 0;
            int next = 0;
            HttpResponse<String> refused = null;
            long refusedAfterNanos = 0;
            while (refused == null) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    ids.add(next++ + "-" + padding);
                }
                long start = System.nanoTime();
                HttpResponse<String> r = cluster.post(Cluster.items(tenant, ids));
                if (r.statusCode() == 200) {
                    acked += Cluster.longField(r.body(), "added");
                } else {
                    refused = r;
                    refusedAfterNanos = System.nanoTime() - start;
                }
                assertThat(next).as("the disk should have filled by now").isLessThan(2_000_000);
            }

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
            assertThat(refused.body()).contains("disk is full");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(Duration.ofNanos(refusedAfterNanos)).as("refused at once, not after the retry deadline")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(cluster.count(tenant)).as("reads work, and nothing refused is counted").isEqualTo(acked);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    cluster.get("/status").body().contains("\"partitions_write_blocked\":1"));
            double blockedGauges = 0;
            for (int port : cluster.workerPorts) {
                blockedGauges += Scrape.of(port).sum("countapp_store_write_blocked");
            }
            assertThat(blockedGauges).isEqualTo(1);

            disk.resize(200);
            List<String> more = List.of("after-1", "after-2", "after-3");
            Awaitility.await("writes resume once there is room").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> cluster.post(Cluster.items(tenant, more)).statusCode() == 200);
            assertThat(cluster.count(tenant)).isEqualTo(acked + 3);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    cluster.get("/status").body().contains("\"partitions_write_blocked\":0"));
            assertThat(cluster.log()).doesNotContain("exited with code");
        }
    }
}
