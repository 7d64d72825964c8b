package countapp.bench.shootout;

import countapp.store.log.SipHash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * The hashed keys of one batch, for a single writer. The key of a pair is the 16-byte SipHash-2-4-128 of
 * {@code varint(len(tenant)), tenant, id} (UTF-8; the length prefix keeps ("ab", "c") and ("a", "bc")
 * apart), keyed by a random 128-bit secret created with the database and stored next to it.
 *
 * <p>{@link #prepare} hashes a batch and orders its items by key (unsigned, i.e. the stores' byte order),
 * dropping repeats of a pair within the batch (the first occurrence stays): sorted keys make a store's
 * inserts touch neighbouring pages or skip-list nodes in turn, and a pair sent twice in one batch can only
 * be new once.
 */
final class HashedBatch {
    static final int KEY_BYTES = 16;
    /** The secret, 16 bytes, next to the store's files. */
    static final String KEY_FILE = "pair-hash.key";
    /** Distinct tenants whose encoded prefix is cached; the cache starts over beyond this. */
    private static final int MAX_CACHED_TENANTS = 100_000;

    private final SipHash sip;
    private final Map<String, byte[]> prefixes = new HashMap<>();
    private final long[] out = new long[2];
    private byte[] input = new byte[256];

    private long[] hi = new long[0];
    private long[] lo = new long[0];
    private byte[][] idBytes = new byte[0][];
    private int[] order = new int[0];
    private int[] tmp = new int[0];
    private int unique;

    private HashedBatch(SipHash sip) {
        this.sip = sip;
    }

    /** Loads the secret of the store in {@code dir}, creating and persisting it first if there is none. */
    static HashedBatch open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            Path tmp = Files.createTempFile(dir, KEY_FILE, ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(secret));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself
            }
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length != 16) {
            throw new IOException(file + " holds " + secret.length + " bytes, not a 16-byte key");
        }
        ByteBuffer b = ByteBuffer.wrap(secret);
        return new HashedBatch(new SipHash(b.getLong(), b.getLong()));
    }

    /** Hashes items {@code [0, n)} and orders the distinct ones by key; see {@link #unique} and {@link #item}. */
    void prepare(String[] tenants, String[] ids, int n) {
        if (hi.length < n) {
            int size = Math.max(n, hi.length * 2);
            hi = new long[size];
            lo = new long[size];
            idBytes = new byte[size][];
            order = new int[size];
            tmp = new int[size];
        }
        for (int i = 0; i < n; i++) {
            byte[] prefix = prefix(tenants[i]);
            byte[] id = ids[i].getBytes(StandardCharsets.UTF_8);
            int length = prefix.length + id.length;
            if (input.length < length) {
                input = new byte[Math.max(length, input.length * 2)];
            }
            System.arraycopy(prefix, 0, input, 0, prefix.length);
            System.arraycopy(id, 0, input, prefix.length, id.length);
            sip.hash128(input, length, out);
            hi[i] = out[0];
            lo[i] = out[1];
            idBytes[i] = id;
            order[i] = i;
        }
        if (n > 1) {
            mergeSort(0, n);
        }
        int u = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (u > 0 && hi[order[u - 1]] == hi[i] && lo[order[u - 1]] == lo[i]) {
                continue;
            }
            order[u++] = i;
        }
        unique = u;
    }

    /** How many distinct pairs the prepared batch holds. */
    int unique() {
        return unique;
    }

    /** The input index of the {@code k}-th distinct pair in key order. */
    int item(int k) {
        return order[k];
    }

    /** The UTF-8 id of input item {@code i}. */
    byte[] id(int i) {
        return idBytes[i];
    }

    /** A new array holding the key of input item {@code i}. */
    byte[] key(int i) {
        byte[] k = new byte[KEY_BYTES];
        long h = hi[i];
        long l = lo[i];
        for (int b = 7; b >= 0; b--) {
            k[b] = (byte) h;
            k[8 + b] = (byte) l;
            h >>>= 8;
            l >>>= 8;
        }
        return k;
    }

    /** Writes the key of input item {@code i} into {@code dst} (big-endian, so byte order is key order) and flips it. */
    void key(int i, ByteBuffer dst) {
        dst.clear();
        dst.putLong(hi[i]).putLong(lo[i]).flip();
    }

    private byte[] prefix(String tenant) {
        byte[] p = prefixes.get(tenant);
        if (p == null) {
            if (prefixes.size() >= MAX_CACHED_TENANTS) {
                prefixes.clear();
            }
            byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
            int len = t.length;
            int varint = 1;
            for (int v = len; (v & ~0x7f) != 0; v >>>= 7) {
                varint++;
            }
            p = new byte[varint + len];
            int pos = 0;
            while ((len & ~0x7f) != 0) {
                p[pos++] = (byte) ((len & 0x7f) | 0x80);
                len >>>= 7;
            }
            p[pos++] = (byte) len;
            System.arraycopy(t, 0, p, pos, t.length);
            prefixes.put(tenant, p);
        }
        return p;
    }

    /** Stable, so the first occurrence of a repeated pair stays first. */
    private void mergeSort(int from, int to) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = order[i];
                int j = i - 1;
                while (j >= from && compare(order[j], v) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(from, mid);
        mergeSort(mid, to);
        if (compare(order[mid - 1], order[mid]) <= 0) {
            return;
        }
        System.arraycopy(order, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(tmp[i], tmp[j]) <= 0)) {
                order[k] = tmp[i++];
            } else {
                order[k] = tmp[j++];
            }
        }
    }

    private int compare(int a, int b) {
        int c = Long.compareUnsigned(hi[a], hi[b]);
        return c != 0 ? c : Long.compareUnsigned(lo[a], lo[b]);
    }
}
