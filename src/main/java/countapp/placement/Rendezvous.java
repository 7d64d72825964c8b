package countapp.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Rendezvous (highest-random-weight) hashing of partitions onto workers, with bounded loads. Every
 * coordinator that sees the same set of workers computes the same table, and adding or removing one of N
 * workers moves about 1/N of the partitions.
 *
 * <p>Why bounded: with few partitions per worker, pure rendezvous hashing is lumpy (16 partitions over 2
 * workers can split 11/5, and one worker then does twice the other's work). Here each worker takes at most
 * {@code ceil(partitions / workers)}: (partition, worker) pairs are granted in descending score order, so a
 * partition goes to its highest-scoring worker that still has room. A change of workers moves a few percent
 * more than unbounded hashing would, some of it between the workers that stay.
 */
public final class Rendezvous {
    private Rendezvous() {}

    /** The score of {@code worker} for {@code partition}: partitions go to their highest-scoring worker with room. */
    public static long score(String worker, int partition) {
        byte[] name = worker.getBytes(StandardCharsets.UTF_8);
        long nameHash = ((long) Murmur3.hash32(name, 0, name.length, 0x5eed) << 32)
                | (Murmur3.hash32(name, 0, name.length, 0x0c0ffee) & 0xffffffffL);
        return Murmur3.fmix64(nameHash ^ Murmur3.fmix64(partition + 0x9e3779b97f4a7c15L));
    }

    /**
     * Owner of each partition with at most {@code ceil(partitions / workers)} partitions per worker; the
     * same for every caller that sees the same workers, in any order. Null entries when there are none.
     */
    public static List<String> assign(int partitions, Collection<String> workers) {
        List<String> names = new ArrayList<>(new TreeSet<>(workers)); // sorted: a stable tie-break
        List<String> owners = new ArrayList<>(Collections.nCopies(partitions, (String) null));
        int n = names.size();
        if (n == 0) {
            return owners;
        }
        int capacity = (partitions + n - 1) / n;
        long[] scores = new long[partitions * n];
        Integer[] order = new Integer[partitions * n];
        for (int p = 0; p < partitions; p++) {
            for (int w = 0; w < n; w++) {
                scores[p * n + w] = score(names.get(w), p);
                order[p * n + w] = p * n + w;
            }
        }
        // Highest score first; ties (astronomically rare) by worker name, then partition.
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -scores[i])
                .thenComparingInt(i -> i % n)
                .thenComparingInt(i -> i / n));
        int[] load = new int[n];
        int assigned = 0;
        for (int i = 0; i < order.length && assigned < partitions; i++) {
            int p = order[i] / n;
            int w = order[i] % n;
            if (owners.get(p) == null && load[w] < capacity) {
                owners.set(p, names.get(w));
                load[w]++;
                assigned++;
            }
        }
        return owners;
    }
}
