package countapp.store;

/**
 * Observes the store for metrics. Called on partition writer threads, so implementations must be cheap
 * and thread-safe; the default methods do nothing.
 */
public interface StoreListener {
    StoreListener NONE = new StoreListener() {};

    /** A group-commit write took {@code nanos}. */
    default void written(long nanos) {}

    /** {@code items} arrived older than every kept window: they counted all-time only. */
    default void lateItems(long items) {}

    /** An fsync of a partition's log took {@code nanos}. */
    default void logSynced(long nanos) {}

    /** A partition opened; {@code stats} stays readable from any thread until {@link #closed}. */
    default void opened(int partition, PartitionStats stats) {}

    /** The partition opened with {@code stats} is closed; reported before it can be opened again. */
    default void closed(int partition, PartitionStats stats) {}
}
