package countapp.store.log;

/**
 * A set of 64-bit fingerprints: one tenant's pairs in one window. Open addressing with linear probing and
 * backward-shift deletion (as {@link PairIndex}, without its segments: a window set is small and there are
 * many). 8 bytes per slot, at most 75 % full.
 *
 * <p>Not thread-safe: owned by its partition's writer; {@link #size} is volatile so a reader elsewhere sees
 * a whole count.
 */
final class LongSet {
    private static final long ZERO_STANDIN = 0x9e3779b97f4a7c15L;
    private long[] table;
    private volatile int size;

    LongSet(int expected) {
        int capacity = 8;
        while (capacity * 3L / 4 < expected) {
            capacity <<= 1;
        }
        table = new long[capacity];
    }

    int size() {
        return size;
    }

    private static long fp(long value) {
        return value == 0 ? ZERO_STANDIN : value;
    }

    private static int home(long fp, int mask) {
        return (int) (fp ^ (fp >>> 32)) & mask;
    }

    /** False when present already. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer
    boolean add(long value) {
        long fp = fp(value);
        int mask = table.length - 1;
        int i = home(fp, mask);
        while (table[i] != 0) {
            if (table[i] == fp) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = fp;
        if (++size * 4L > table.length * 3L) {
            grow();
        }
        return true;
    }

    boolean contains(long value) {
        long fp = fp(value);
        int mask = table.length - 1;
        for (int i = home(fp, mask); table[i] != 0; i = (i + 1) & mask) {
            if (table[i] == fp) {
                return true;
            }
        }
        return false;
    }

    /** False when absent. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer
    boolean remove(long value) {
        long fp = fp(value);
        int mask = table.length - 1;
        int i = home(fp, mask);
        while (table[i] != fp) {
            if (table[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int h = home(table[j], mask);
            if (((j - h) & mask) >= ((j - hole) & mask)) { // j's entry may move back into the hole
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
        size--;
        return true;
    }

    /** Adds every member of this set to {@code into}. */
    void addAllTo(LongSet into) {
        for (long fp : table) {
            if (fp != 0) {
                into.add(fp);
            }
        }
    }

    long memoryBytes() {
        return 32 + 8L * table.length;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long fp : old) {
            if (fp != 0) {
                int i = home(fp, mask);
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = fp;
            }
        }
    }
}
