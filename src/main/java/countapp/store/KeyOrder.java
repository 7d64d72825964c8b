package countapp.store;

import java.util.Arrays;

/**
 * Orders a group's item keys the way RocksDB's bytewise comparator does, without an object per key.
 *
 * <p>Why: a write batch whose keys arrive in random order makes every memtable insert search the skip
 * list from its top level ({@code InlineSkipList::RecomputeSpliceLevels} was the writer thread's top frame);
 * in key order each insert starts from the previous one's position. Sorted keys also put duplicates next
 * to each other, so the group is de-duplicated in the same pass instead of through a hash map.
 */
final class KeyOrder {
    private KeyOrder() {}

    /**
     * Indices {@code 0..n-1} ordered by {@code keys[i]} (unsigned lexicographic); stable, so among equal
     * keys the one that came first stays first.
     */
    static int[] sortedIndices(byte[][] keys, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n > 1) {
            mergeSort(keys, order, new int[n], 0, n);
        }
        return order;
    }

    static boolean sameKey(byte[][] keys, int a, int b) {
        return Arrays.equals(keys[a], keys[b]);
    }

    private static void mergeSort(byte[][] keys, int[] a, int[] tmp, int from, int to) {
        if (to - from <= 16) {
            insertionSort(keys, a, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(keys, a, tmp, from, mid);
        mergeSort(keys, a, tmp, mid, to);
        if (compare(keys, a[mid - 1], a[mid]) <= 0) {
            return; // already in order, common for near-sequential ids
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(keys, tmp[i], tmp[j]) <= 0)) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }

    private static void insertionSort(byte[][] keys, int[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= from && compare(keys, a[j], v) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static int compare(byte[][] keys, int x, int y) {
        return Arrays.compareUnsigned(keys[x], keys[y]);
    }
}
