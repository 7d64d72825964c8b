package countapp.store;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A durable set of (tenant, id) pairs, split into partitions. Both backends implement this; the worker
 * does not know which one it has.
 */
public interface Store extends AutoCloseable {
    /**
     * Opens a partition for exclusive use by this process, waiting up to {@code timeout} while another
     * process still holds it (the previous owner flushing and closing).
     */
    default Partition open(int partition, Duration timeout) throws StoreException {
        return open(partition, timeout, () -> true);
    }

    /**
     * As {@link #open(int, Duration)}, but gives up early, with a {@link StoreException}, as soon as
     * {@code stillWanted} turns false (the partition was assigned elsewhere while this process waited).
     */
    Partition open(int partition, Duration timeout, BooleanSupplier stillWanted) throws StoreException;

    /** The partition count of the database, fixed when it was created. */
    int partitions();

    /** Changes how long an acknowledged write may stay only in the OS page cache (0 = fsync every write). */
    void setPersistInterval(Duration interval);

    /** Open partitions that refuse writes now (a full disk), with why; empty for backends without such a state. */
    default java.util.Map<Integer, String> blockedPartitions() {
        return java.util.Map.of();
    }

    /** Closes every partition still open (draining and persisting each), then the shared resources. */
    @Override
    void close();
}
