package countapp.store.log;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The set of (tenant, id) pairs of one partition, held as 64-bit fingerprints of their keyed 128-bit
 * SipHash: the index answers "is this pair new?" without reading the log.
 *
 * <p>Layout: {@value #SEGMENTS} open-addressing tables with linear probing, the segment chosen by 10 bits of
 * the hash half that is not stored, the slot by the stored fingerprint (so a table can double without the
 * original key). A table grows when it is {@value #MAX_LOAD_PERCENT} % full, one segment at a time, so no
 * pause ever copies the whole index. Memory is 8 bytes per slot: 10.7 to 21.3 bytes per stored pair.
 *
 * <p>Collision bound: two different pairs are confused only when they land in the same segment and have
 * the same 64-bit fingerprint. With a secret SipHash key the outputs are unpredictable, so for a partition
 * holding n pairs the chance that any new pair is ever taken for a stored one is at most
 * n² / 2^75 (n² / 2 pairs, each 2^-64 likely to collide, in one of 2^10 segments): 2.6·10^-9 at 10 M
 * pairs in one partition, 2.6·10^-7 at 100 M.
 *
 * <p>Not thread-safe: owned by its partition's writer.
 */
final class PairIndex {
    static final int SEGMENT_BITS = 10;
    static final int SEGMENTS = 1 << SEGMENT_BITS;
    static final int MAX_LOAD_PERCENT = 75;
    private static final int MIN_CAPACITY = 16;
    /** Replaces a fingerprint of 0, which marks an empty slot. */
    private static final long ZERO_STANDIN = 0x9e3779b97f4a7c15L;

    private final long[][] tables = new long[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];
    private long size;

    PairIndex() {
        for (int s = 0; s < SEGMENTS; s++) {
            tables[s] = new long[MIN_CAPACITY];
        }
    }

    /** The segment of a pair whose hash has {@code high} as its unstored half. */
    static int segmentOf(long high) {
        return (int) (high >>> (64 - SEGMENT_BITS));
    }

    static long fingerprintOf(long low) {
        return low == 0 ? ZERO_STANDIN : low;
    }

    long size() {
        return size;
    }

    /** Adds the pair of hash ({@code low}, {@code high}); false when it was present already. */
    boolean add(long low, long high) {
        int s = segmentOf(high);
        long fp = fingerprintOf(low);
        long[] table = tables[s];
        int mask = table.length - 1;
        int i = (int) fp & mask;
        while (true) {
            long slot = table[i];
            if (slot == 0) {
                break;
            }
            if (slot == fp) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = fp;
        size++;
        if (++sizes[s] * 100L > (long) table.length * MAX_LOAD_PERCENT) {
            tables[s] = grow(table);
        }
        return true;
    }

    boolean contains(long low, long high) {
        long fp = fingerprintOf(low);
        long[] table = tables[segmentOf(high)];
        int mask = table.length - 1;
        for (int i = (int) fp & mask; table[i] != 0; i = (i + 1) & mask) {
            if (table[i] == fp) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the pair; false when it was absent. Backward-shift deletion: the entries after the hole that
     * could live in it move back, so lookups never need tombstones.
     */
    boolean remove(long low, long high) {
        int s = segmentOf(high);
        long fp = fingerprintOf(low);
        long[] table = tables[s];
        int mask = table.length - 1;
        int i = (int) fp & mask;
        while (table[i] != fp) {
            if (table[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = (int) table[j] & mask;
            // j's entry may move to the hole when its home is not in the cyclic range (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
        sizes[s]--;
        size--;
        return true;
    }

    private static long[] grow(long[] old) {
        long[] table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long fp : old) {
            if (fp != 0) {
                int i = (int) fp & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = fp;
            }
        }
        return table;
    }

    /** Bytes of the tables: what the index costs in memory. */
    long memoryBytes() {
        long bytes = 0;
        for (long[] t : tables) {
            bytes += 16 + 8L * t.length;
        }
        return bytes;
    }

    /** Writes the fingerprints, segment by segment, so {@link #read} rebuilds the same index. */
    void write(DataOutput out) throws IOException {
        out.writeInt(SEGMENTS);
        for (int s = 0; s < SEGMENTS; s++) {
            long[] table = tables[s];
            out.writeInt(table.length);
            out.writeInt(sizes[s]);
            for (long fp : table) {
                out.writeLong(fp);
            }
        }
    }

    static PairIndex read(DataInput in) throws IOException {
        if (in.readInt() != SEGMENTS) {
            throw new IOException("index snapshot has another segment count");
        }
        PairIndex index = new PairIndex();
        for (int s = 0; s < SEGMENTS; s++) {
            int capacity = in.readInt();
            int count = in.readInt();
            if (Integer.bitCount(capacity) != 1 || capacity < MIN_CAPACITY || capacity > 1 << 28 || count < 0
                    || count > capacity) {
                throw new IOException("index snapshot segment " + s + " is corrupt");
            }
            long[] table = new long[capacity];
            for (int i = 0; i < capacity; i++) {
                table[i] = in.readLong();
            }
            index.tables[s] = table;
            index.sizes[s] = count;
            index.size += count;
        }
        return index;
    }
}
