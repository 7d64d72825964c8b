package countapp.store;

import java.time.Duration;

/**
 * Tuning of the embedded store.
 *
 * @param persistInterval how long an acknowledged write may sit only in the OS page cache before its WAL
 *     is fsynced; zero fsyncs before every acknowledgement (amortised by group commit)
 * @param blockCacheBytes block cache shared by every partition of the process
 * @param writeBufferBytes memtable budget shared by every partition of the process
 * @param queueCapacity pending commands per partition before new ones are refused as overload
 */
public record StoreOptions(Duration persistInterval, long blockCacheBytes, long writeBufferBytes, int queueCapacity) {
    public static StoreOptions defaults(Duration persistInterval) {
        return new StoreOptions(persistInterval, 32L << 20, 32L << 20, 4096);
    }

    public StoreOptions {
        if (persistInterval.isNegative()) {
            throw new IllegalArgumentException("persistInterval must not be negative");
        }
    }

    StoreOptions withPersistInterval(Duration interval) {
        return new StoreOptions(interval, blockCacheBytes, writeBufferBytes, queueCapacity);
    }
}
