package countapp.bench.shootout;

/** Optional for a {@link Candidate}: what {@code StoreShootout} uses when a candidate offers it. */
public interface ShootoutHooks {
    /**
     * Returns once the background work that a bulk load left behind (RocksDB compactions, LMDB's dirty
     * pages waiting for the next sync) is done, so that what is measured after the preload is not the
     * preload's debt.
     */
    default void settle() throws Exception {}

    /** A few words on the candidate's files and memory for the report lines (e.g. live vs. allocated pages). */
    default String describe() throws Exception {
        return "";
    }
}
