package countapp.migrate;

import countapp.codec.ByteSink;
import countapp.store.StoreException;
import java.nio.charset.StandardCharsets;

/**
 * The key layout of format 1 (one RocksDB per partition): {@code kind, varint(len(tenant)), tenant, [id]}.
 * An item key ({@link #ITEM}) holds a pair and an empty value; a count key ({@link #COUNT}) holds the
 * tenant's count as 8 bytes, big-endian. The length prefix makes every (tenant, id) pair a distinct key
 * whatever bytes the strings hold, and keeps a tenant's items contiguous. The converter only reads keys; the
 * encoders write the test fixtures of format-1 folders, so the layout is stated once.
 */
final class Format1Keys {
    static final byte COUNT = 1;
    static final byte ITEM = 2;

    private Format1Keys() {}

    static byte[] itemKey(byte[] tenant, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + ByteSink.varintLength(tenant.length) + tenant.length + idBytes.length];
        int pos = header(key, ITEM, tenant);
        System.arraycopy(idBytes, 0, key, pos, idBytes.length);
        return key;
    }

    static byte[] countKey(byte[] tenant) {
        return prefixKey(COUNT, tenant);
    }

    /** The prefix shared by every item key of {@code tenant}. */
    static byte[] itemPrefix(byte[] tenant) {
        return prefixKey(ITEM, tenant);
    }

    /** The id stored in an item key produced by {@link #itemKey}. */
    static String idOf(byte[] itemKey) {
        int[] lenAndPos = readVarint(itemKey, 1);
        int start = lenAndPos[1] + lenAndPos[0];
        return new String(itemKey, start, itemKey.length - start, StandardCharsets.UTF_8);
    }

    /** The tenant stored in a count or item key. */
    static String tenantOf(byte[] key) {
        int[] lenAndPos = readVarint(key, 1);
        return new String(key, lenAndPos[1], lenAndPos[0], StandardCharsets.UTF_8);
    }

    static byte[] encodeCount(long count) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) count;
            count >>>= 8;
        }
        return b;
    }

    static long decodeCount(byte[] b) {
        if (b == null) {
            return 0;
        }
        if (b.length != 8) {
            throw new StoreException("corrupt count value of " + b.length + " bytes");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    private static byte[] prefixKey(byte kind, byte[] tenant) {
        byte[] key = new byte[1 + ByteSink.varintLength(tenant.length) + tenant.length];
        header(key, kind, tenant);
        return key;
    }

    private static int header(byte[] key, byte kind, byte[] tenant) {
        key[0] = kind;
        int pos = 1;
        int len = tenant.length;
        while ((len & ~0x7f) != 0) {
            key[pos++] = (byte) ((len & 0x7f) | 0x80);
            len >>>= 7;
        }
        key[pos++] = (byte) len;
        System.arraycopy(tenant, 0, key, pos, tenant.length);
        return pos + tenant.length;
    }

    /** {length, position after the varint}. */
    private static int[] readVarint(byte[] b, int pos) {
        int value = 0;
        int shift = 0;
        while (true) {
            byte x = b[pos++];
            value |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return new int[] {value, pos};
            }
            shift += 7;
        }
    }
}
