package countapp.store.log;

import countapp.model.ItemBatch;
import java.util.concurrent.CompletableFuture;

/** An add waiting for its group's commit. */
final class PendingAdd {
    final LogPartition partition;
    final ItemBatch batch;
    final int[] indices;
    final int count;
    final CompletableFuture<Long> result = new CompletableFuture<>();
    long added;
    /** Items that counted in no window (older than every kept one). */
    long late;

    PendingAdd(LogPartition partition, ItemBatch batch, int[] indices, int count) {
        this.partition = partition;
        this.batch = batch;
        this.indices = indices;
        this.count = count;
    }

    void fail(Throwable error) {
        result.completeExceptionally(error);
    }
}
