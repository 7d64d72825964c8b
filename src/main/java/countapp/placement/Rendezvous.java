package countapp.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Rendezvous (highest-random-weight) hashing of partitions onto workers. Every coordinator that sees the
 * same set of workers computes the same owner, and adding or removing one of N workers moves only the
 * ~1/N of partitions whose highest-scoring worker changed.
 */
public final class Rendezvous {
    private Rendezvous() {}

    /** The score of {@code worker} for {@code partition}; the owner is the live worker with the highest score. */
    public static long score(String worker, int partition) {
        byte[] name = worker.getBytes(StandardCharsets.UTF_8);
        long nameHash = ((long) Murmur3.hash32(name, 0, name.length, 0x5eed) << 32)
                | (Murmur3.hash32(name, 0, name.length, 0x0c0ffee) & 0xffffffffL);
        return Murmur3.fmix64(nameHash ^ Murmur3.fmix64(partition + 0x9e3779b97f4a7c15L));
    }

    /** The owner of {@code partition} among {@code workers}, or null if there are none. Ties break by name. */
    public static String owner(int partition, Collection<String> workers) {
        String best = null;
        long bestScore = 0;
        for (String worker : workers) {
            long s = score(worker, partition);
            if (best == null || s > bestScore || (s == bestScore && worker.compareTo(best) < 0)) {
                best = worker;
                bestScore = s;
            }
        }
        return best;
    }

    /** Owner of each partition {@code 0..partitions-1}; null entries when {@code workers} is empty. */
    public static List<String> assign(int partitions, Collection<String> workers) {
        List<String> owners = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            owners.add(owner(p, workers));
        }
        return owners;
    }
}
