package countapp.store;

import countapp.model.ItemBatch;
import java.util.concurrent.CompletableFuture;

/** One open partition. Its futures complete on the partition's own thread; callers must not block it. */
public interface Partition {
    int id();

    /**
     * Adds {@code batch}'s items at {@code indices[0..count)}. Completes with how many pairs were new,
     * once they are in the store's log (durable against a process crash).
     */
    CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count);

    /** The number of distinct ids of {@code tenant}, including every add that completed before this call. */
    CompletableFuture<Long> count(String tenant);

    /**
     * The number of distinct ids of {@code tenant} in {@code window}: all time, one kept day or month, or
     * the union of a run of kept days. Fails with an {@link IllegalArgumentException} naming the window
     * when it is not kept (windows off, past the retention), and with {@link NotSupportedException} on a
     * backend without windows.
     */
    default CompletableFuture<Long> count(String tenant, countapp.model.Window window) {
        if (window.unit() == countapp.model.Window.Unit.ALL) {
            return count(tenant);
        }
        return CompletableFuture.failedFuture(new NotSupportedException("this database keeps no windows"));
    }

    /**
     * Removes the pair from all time and from every window, durably (like an add): completes with 1 when it
     * was stored, 0 when it was not (erasing is idempotent).
     */
    default CompletableFuture<Long> erase(String tenant, String id) {
        return CompletableFuture.failedFuture(new NotSupportedException("this database cannot erase"));
    }

    /**
     * Removes every pair of {@code tenant}, from all time and every window, durably: completes with how many
     * pairs it had all-time. Pairs acknowledged before the call are all removed; an add that races with it
     * ends up either erased or stored, and the counts always match what is stored.
     */
    default CompletableFuture<Long> eraseTenant(String tenant) {
        return CompletableFuture.failedFuture(new NotSupportedException("this database cannot erase"));
    }

    /** Walks every tenant's count in {@code window} (a single window: all time, one day or one month). */
    default CountCursor counts(countapp.model.Window window) {
        if (window.unit() != countapp.model.Window.Unit.ALL) {
            return max -> CompletableFuture.failedFuture(new NotSupportedException("this database keeps no windows"));
        }
        return max -> CompletableFuture.failedFuture(new NotSupportedException("this database cannot export counts"));
    }

    /**
     * Up to {@code max} of {@code tenant}'s ids, continuing from {@code cursor} (null for the first slice;
     * then the {@link IdChunk#next} of the previous one). Ids added while a scan goes on may or may not
     * appear; ids acknowledged before it started always do. The order is the backend's.
     */
    CompletableFuture<IdChunk> ids(String tenant, String cursor, int max);

    /** Finishes queued work, persists it, releases the partition; later calls fail with {@link PartitionClosedException}. */
    CompletableFuture<Void> close();

    /**
     * Closes every one of {@code partitions} (each flushes and releases its lock) and waits for them all, at
     * most 60 s: a store's shutdown. A partition that fails to close is logged; the others still close.
     */
    static void closeAll(java.util.Collection<? extends Partition> partitions) {
        CompletableFuture<?>[] closing = partitions.stream().map(Partition::close).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Partition.class)
                    .warn("partitions did not all close cleanly: {}", e.toString());
        }
    }
}
