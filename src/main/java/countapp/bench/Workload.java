package countapp.bench;

import countapp.placement.Murmur3;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the load generator sends. Every fresh item gets the next number of one run-wide sequence: item
 * {@code s} is the pair ({@code <prefix>-<s % tenants>}, {@code i<s>}), so a tenant's items, the distinct
 * pairs sent and the pairs acknowledged are all known from sequence numbers alone (two bit sets per lane).
 * A duplicate re-sends a uniformly chosen, already allocated number. By default the id is
 * {@code i} + 16 hex digits of a bijective 64-bit mix of {@code s} (distinct, but in no useful order and
 * barely compressible, like real user or device ids); {@code --ids sequential} sends {@code i<s>} instead.
 *
 * <p>Bodies are assembled byte by byte from fragments encoded once ({@code ","tenant":"…"}} per tenant),
 * so building a 100-item body costs about as much as copying it.
 */
final class Workload {
    private static final byte[] ID_OPEN = "{\"id\":\"i".getBytes(StandardCharsets.US_ASCII);

    private final String prefix;
    private final int tenants;
    private final int batch;
    private final double duplicates;
    private final long maxItems;
    private final boolean hashedIds;
    private final String[] tenantNames;
    /** {@code ","tenant":"<name>"}} for each tenant. */
    private final byte[][] tenantTails;
    private final AtomicLong nextSeq = new AtomicLong();

    Workload(String prefix, int tenants, int batch, double duplicates, long maxItems, boolean hashedIds) {
        this.prefix = prefix;
        this.hashedIds = hashedIds;
        this.tenants = tenants;
        this.batch = batch;
        this.duplicates = duplicates;
        this.maxItems = maxItems;
        this.tenantNames = new String[tenants];
        this.tenantTails = new byte[tenants][];
        for (int t = 0; t < tenants; t++) {
            tenantNames[t] = prefix + "-" + t;
            tenantTails[t] = ("\",\"tenant\":\"" + tenantNames[t] + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    String prefix() {
        return prefix;
    }

    int tenants() {
        return tenants;
    }

    int batch() {
        return batch;
    }

    String tenant(int t) {
        return tenantNames[t];
    }

    int tenantOf(long seq) {
        return (int) (seq % tenants);
    }

    /** Fresh sequence numbers handed out so far. */
    long allocated() {
        return nextSeq.get();
    }

    /** True once {@code --items} fresh items have been handed out (never when there is no such limit). */
    boolean exhausted() {
        return maxItems > 0 && nextSeq.get() >= maxItems;
    }

    /**
     * Chooses the items of one request: fresh numbers, or (with probability {@code duplicates}) numbers
     * already handed out. Returns the sequence numbers; the caller marks them sent.
     */
    long[] nextItems(SplittableRandom rnd, int size) {
        long[] seqs = new long[size];
        boolean[] dup = null;
        int fresh = size;
        long before = nextSeq.get();
        if (duplicates > 0 && before > 0) {
            dup = new boolean[size];
            for (int i = 0; i < size; i++) {
                if (rnd.nextDouble() < duplicates) {
                    dup[i] = true;
                    fresh--;
                }
            }
        }
        long base = fresh > 0 ? nextSeq.getAndAdd(fresh) : 0;
        if (base + fresh > Integer.MAX_VALUE) {
            throw new IllegalStateException("more than " + Integer.MAX_VALUE + " items in one run");
        }
        for (int i = 0; i < size; i++) {
            seqs[i] = dup != null && dup[i] ? rnd.nextLong(before) : base++;
        }
        return seqs;
    }

    /** The JSON array {@code [{"id":"i…","tenant":"<prefix>-<s % tenants>"}, …]} of {@code seqs}. */
    byte[] body(long[] seqs, Scratch scratch) {
        scratch.reset();
        scratch.put((byte) '[');
        for (int i = 0; i < seqs.length; i++) {
            if (i > 0) {
                scratch.put((byte) ',');
            }
            scratch.put(ID_OPEN);
            if (hashedIds) {
                scratch.putHex(Murmur3.fmix64(seqs[i]));
            } else {
                scratch.putDecimal(seqs[i]);
            }
            scratch.put(tenantTails[tenantOf(seqs[i])]);
        }
        scratch.put((byte) ']');
        return scratch.toArray();
    }

    /** A reusable growable byte array; one per lane (single-threaded). */
    static final class Scratch {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        private byte[] buf = new byte[4096];
        private int len;
        private final byte[] digits = new byte[20];

        void reset() {
            len = 0;
        }

        void put(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        void put(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
        }

        void putDecimal(long v) {
            int n = 0;
            do {
                digits[n++] = (byte) ('0' + (v % 10));
                v /= 10;
            } while (v > 0);
            ensure(n);
            while (n > 0) {
                buf[len++] = digits[--n];
            }
        }

        /** Exactly 16 lower-case hex digits. */
        void putHex(long v) {
            ensure(16);
            for (int shift = 60; shift >= 0; shift -= 4) {
                buf[len++] = HEX[(int) (v >>> shift) & 0xf];
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, len);
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }
    }
}
