package countapp.store;

/**
 * Size figures of an open partition, for metrics. Safe to read from any thread, even after a close.
 */
public interface PartitionStats {
    /** Pairs stored in the partition. */
    long pairs();

    /** Bytes of the partition's files on disk (its log segments), or -1 when they cannot be listed. */
    long diskBytes();

    /** Bytes of memory the partition keeps per stored pair in total (the log store's index); 0 when none. */
    default long indexBytes() {
        return 0;
    }

    /** Why the partition refuses writes now (a full disk), or null while it takes them. */
    default String writeBlocked() {
        return null;
    }
}
