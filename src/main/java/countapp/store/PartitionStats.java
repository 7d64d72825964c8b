package countapp.store;

/**
 * Size figures of an open partition, as last read by its writer thread (refreshed every few seconds).
 * Reading them never touches the database, so it is safe from any thread, even after a close.
 */
public interface PartitionStats {
    /** Pairs stored (the log store: exact; RocksDB: its key estimate, items plus one per tenant). */
    long estimatedKeys();

    /** Bytes of the partition's files on disk (RocksDB: its SST files; the log store: its log segments). */
    long sstBytes();

    /** Bytes of memory the partition keeps per stored pair in total (the log store's index); 0 when none. */
    default long indexBytes() {
        return 0;
    }

    /** Why the partition refuses writes now (a full disk), or null while it takes them. */
    default String writeBlocked() {
        return null;
    }
}
