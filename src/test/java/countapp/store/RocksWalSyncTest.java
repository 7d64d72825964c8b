package countapp.store;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue "Hardening": a WAL sync asked for while the partition's queue is full is still done, not dropped. */
@Timeout(60)
class RocksWalSyncTest {
    @TempDir
    Path root;

    @Test
    void requestWalSync_whileTheQueueIsFull_syncsOnceTheWriterCatchesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        StoreListener listener = new StoreListener() {
            @Override
            public void written(long nanos) {
                try {
                    release.await(); // holds the writer thread inside its first write: the queue fills up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void walSynced(long nanos) {
                syncs.incrementAndGet();
            }
        };
        // A persist interval far beyond the test, so no scheduled sync interferes; a queue of 4 commands.
        StoreOptions options = new StoreOptions(Duration.ofHours(1), 8L << 20, 8L << 20, 4);
        RocksStore store = new RocksStore(root, 1, options, listener);
        try {
            RocksPartition p = (RocksPartition) store.open(0, Duration.ofSeconds(5));
            List<CompletableFuture<Long>> adds = new ArrayList<>();
            adds.add(add(p, "first"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                adds.add(add(p, "fill-" + adds.size())); // until the queue refuses (overload)
                return adds.get(adds.size() - 1).isCompletedExceptionally();
            });

            p.requestWalSync(); // its command cannot be queued now
            release.countDown();

            Awaitility.await("the sync asked for while the queue was full").atMost(Duration.ofSeconds(10))
                    .until(() -> syncs.get() >= 1);
        } finally {
            release.countDown();
            store.close();
        }
    }

    private static CompletableFuture<Long> add(Partition p, String id) {
        return p.add(ItemBatch.of(new String[] {"t"}, new String[] {id}), new int[] {0}, 1);
    }
}
