package countapp.bench.shootout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidates of the storage shoot-out by name. To add one: implement {@link Candidate} (and {@link
 * ShootoutHooks} if it does background work or has more to report), register it below, and run {@code StoreShootout} with
 * {@code -p candidate=rocksdb-hashed,lmdb,<name>}; {@link ShootoutCheck} checks its exactness first.
 */
public final class Candidates {
    @FunctionalInterface
    interface Opener {
        Candidate open(Path dir) throws Exception;
    }

    private static final Map<String, Opener> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("rocksdb-hashed", dir -> new RocksHashed(dir, RocksHashed.BEST));
        BY_NAME.put("lmdb", dir -> new LmdbHashed(dir, true));
        BY_NAME.put("log-index", LogIndex::new);
        // Variants kept for comparison runs (see RocksHashed.Tuning and LmdbHashed).
        for (RocksHashed.Tuning t : RocksHashed.Tuning.VARIANTS) {
            BY_NAME.put("rocksdb-hashed-" + t.suffix(), dir -> new RocksHashed(dir, t));
        }
        BY_NAME.put("lmdb-nowritemap", dir -> new LmdbHashed(dir, false));
    }

    private Candidates() {}

    /** Every name {@link #open} knows, the designs first, then their variants. */
    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /** Opens (creating it if needed) the candidate {@code name} with its files under {@code dir}. */
    public static Candidate open(String name, Path dir) throws Exception {
        Opener opener = BY_NAME.get(name);
        if (opener == null) {
            throw new IllegalArgumentException("unknown candidate '" + name + "'; known: " + String.join(", ", names()));
        }
        return opener.open(dir);
    }
}
