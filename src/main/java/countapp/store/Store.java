package countapp.store;

import java.time.Duration;

/**
 * A durable set of (tenant, id) pairs, split into partitions. Both backends implement this; the worker
 * does not know which one it has.
 */
public interface Store extends AutoCloseable {
    /**
     * Opens a partition for exclusive use by this process, waiting up to {@code timeout} while another
     * process still holds it (the previous owner flushing and closing).
     */
    Partition open(int partition, Duration timeout) throws StoreException;

    /** Closes every partition still open (draining and persisting each), then the shared resources. */
    @Override
    void close();
}
