package countapp.store;

/** The partition is not (or no longer) open in this process: the request belongs to another owner. */
public final class PartitionClosedException extends StoreException {
    private final int partition;

    public PartitionClosedException(int partition) {
        super("partition " + partition + " is not open on this worker");
        this.partition = partition;
    }

    public int partition() {
        return partition;
    }
}
