package countapp.bench.shootout;

/** One storage design under test: a durable set of (tenant, id) pairs that says how many of a batch were new. */
@SuppressWarnings("try") // close() is AutoCloseable's (throws Exception); implementations narrow it
public interface Candidate extends AutoCloseable {
    /** Adds items [0, n) of the parallel arrays; returns how many pairs were new. When it returns, the new pairs
     *  are written to the OS (they survive a crash of this process; an fsync happens at least once a second in the background). */
    long add(String[] tenants, String[] ids, int n) throws Exception;
    /** The number of distinct ids of the tenant, including every add that returned. */
    long count(String tenant) throws Exception;
    /** Bytes of the candidate's files on disk now. */
    long diskBytes() throws Exception;
}
