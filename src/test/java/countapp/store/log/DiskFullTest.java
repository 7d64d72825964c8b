package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.store.Partition;
import countapp.store.WriteBlockedException;
import countapp.testing.SmallDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A full disk refuses writes at once and stores nothing of them; once space returns, writes resume. */
@Timeout(120)
class DiskFullTest {
    @TempDir
    Path parent;

    private static CompletableFuture<Long> add(Partition p, String tenant, int from, int n) {
        String[] tenants = new String[n];
        java.util.Arrays.fill(tenants, tenant);
        // Long ids, so the disk fills after a few thousand adds.
        String[] ids = IntStream.range(from, from + n).mapToObj(i -> "id-" + i + "-" + "x".repeat(200)).toArray(String[]::new);
        return p.add(ItemBatch.of(tenants, ids), IntStream.range(0, n).toArray(), n);
    }

    @Test
    void add_diskFull_refusedAtOnceNothingStored_readsWork_resumesWhenSpaceReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(parent, 2)) {
            LogStore store = LogStore.builder(disk.dir, 1, 3, 5).persistInterval(Duration.ofMillis(100)).build();
            try {
                Partition p = store.open(0, Duration.ofSeconds(5));
                long acked = 0;
                int next = 0;
                WriteBlockedException refused = null;
                while (refused == null) {
                    try {
                        acked += add(p, "t", next, 50).get(10, TimeUnit.SECONDS);
                        next += 50;
                    } catch (ExecutionException e) {
                        refused = (WriteBlockedException) e.getCause();
                    }
                }
                assertThat(refused.noSpace()).as(refused.getMessage()).isTrue();
                assertThat(acked).isPositive();
                assertThat(p.count("t").get()).as("nothing of the refused write is counted").isEqualTo(acked);

                long start = System.nanoTime();
                int from = next;
                assertThatThrownBy(() -> add(p, "t", from, 50).get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(WriteBlockedException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once").isLessThan(Duration.ofSeconds(1));
                assertThat(store.blockedPartitions()).containsKey(0);
                assertThat(p.count("t").get()).as("reads keep working").isEqualTo(acked);

                disk.resize(8);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                long added = -1;
                while (added < 0) {
                    try {
                        added = add(p, "t", next, 50).get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertThat(System.nanoTime()).as("writes resume once there is room: %s", e.getCause()).isLessThan(deadline);
                        Thread.sleep(100);
                    }
                }
                assertThat(added).isEqualTo(50);
                assertThat(p.count("t").get()).isEqualTo(acked + 50);
                assertThat(store.blockedPartitions()).isEmpty();
            } finally {
                store.close();
            }
            // Everything acknowledged is in the log: a fresh open counts the same.
            LogStore reopened = LogStore.builder(disk.dir, 1, 3, 5).persistInterval(Duration.ofMillis(100)).build();
            try {
                Partition p = reopened.open(0, Duration.ofSeconds(5));
                assertThat(p.count("t").get()).isPositive();
                assertThat(add(p, "t", 0, 50).get(10, TimeUnit.SECONDS)).as("every earlier id is still known").isZero();
            } finally {
                reopened.close();
            }
        }
    }
}
