package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: the adds of one loop turn are one frame in the log, and work queued after them sees them. */
@Timeout(30)
class CommitterTest {
    @TempDir
    Path root;

    private static ItemBatch batch(String tenant, String id) {
        return ItemBatch.of(new String[] {tenant}, new String[] {id});
    }

    private static int addFrames(SegmentedLog log) throws Exception {
        int[] frames = {0};
        log.read(LogPosition.START, log.end(), (kind, payload, next) -> {
            if (kind == Frames.ADD) {
                frames[0]++;
            }
            return true;
        });
        return frames[0];
    }

    @Test
    void submit_manyAddsInOneLoopTurn_oneFrameAndEveryAddCompleted() throws Exception {
        LogStore store = LogStore.builder(root, 1, 7, 11).persistInterval(Duration.ofMillis(100)).build();
        try {
            LogPartition p = (LogPartition) store.open(0, Duration.ofSeconds(5));
            List<CompletableFuture<Long>> adds = new ArrayList<>();
            CompletableFuture<Long> countAfter = new CompletableFuture<>();
            CompletableFuture<Void> turn = new CompletableFuture<>();
            p.committerLoop().execute(() -> {
                for (int i = 0; i < 50; i++) {
                    adds.add(p.add(batch("t" + (i % 2), "id-" + (i % 20)), new int[] {0}, 1));
                }
                // Queued in the same turn, after the adds: the commit runs first, so the count includes them.
                p.committerLoop().execute(() -> countAfter.complete(p.count("t0").join() + p.count("t1").join()));
                turn.complete(null);
            });
            turn.get(5, TimeUnit.SECONDS);
            long added = 0;
            for (CompletableFuture<Long> a : adds) {
                added += a.get(5, TimeUnit.SECONDS);
            }
            assertThat(added).as("distinct pairs among the 50").isEqualTo(20);
            assertThat(countAfter.get(5, TimeUnit.SECONDS)).isEqualTo(20);
            assertThat(addFrames(p.log())).as("one group commit").isEqualTo(1);

            p.add(batch("t0", "later"), new int[] {0}, 1).get(5, TimeUnit.SECONDS);
            assertThat(addFrames(p.log())).isEqualTo(2);
        } finally {
            store.close();
        }
    }
}
