package countapp.store;

/**
 * The partition cannot take writes now: its disk is full, or writing failed. Nothing of the refused write
 * was stored. Reads still work, and writes resume by themselves once the cause is gone.
 */
public final class WriteBlockedException extends StoreException {
    private final int partition;
    private final boolean noSpace;

    public WriteBlockedException(int partition, boolean noSpace, String reason) {
        super(describe(partition, reason));
        this.partition = partition;
        this.noSpace = noSpace;
    }

    /** How a refusal of writes to {@code partition} reads, here and wherever a partition's state is shown. */
    public static String describe(int partition, String reason) {
        return "partition " + partition + " cannot store writes now: " + reason;
    }

    public int partition() {
        return partition;
    }

    /** True when the cause is a full disk (507); false for another write failure (503). */
    public boolean noSpace() {
        return noSpace;
    }
}
