package countapp.store;

/** Another process still holds the partition (its previous owner has not released it yet). */
public final class PartitionLockedException extends StoreException {
    public PartitionLockedException(int partition, String detail) {
        super("partition " + partition + " is still held by another process: " + detail);
    }
}
