package countapp.placement;

/**
 * MurmurHash3 x86_32 and a 64-bit finaliser. Implemented here rather than taken from a library because
 * placement must never change between releases: the partition of a tenant is part of the on-disk format.
 */
public final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    /** MurmurHash3_x86_32 of {@code data[offset, offset+length)} with the given seed. */
    public static int hash32(byte[] data, int offset, int length, int seed) {
        int h1 = seed;
        int roundedEnd = offset + (length & 0xfffffffc);
        for (int i = offset; i < roundedEnd; i += 4) {
            int k1 = (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8) | ((data[i + 2] & 0xff) << 16) | (data[i + 3] << 24);
            k1 *= C1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= C2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = length & 0x03;
        if (tail > 0) {
            int k1 = 0;
            if (tail == 3) {
                k1 ^= (data[roundedEnd + 2] & 0xff) << 16;
            }
            if (tail >= 2) {
                k1 ^= (data[roundedEnd + 1] & 0xff) << 8;
            }
            k1 ^= data[roundedEnd] & 0xff;
            k1 *= C1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= C2;
            h1 ^= k1;
        }
        h1 ^= length;
        return fmix32(h1);
    }

    public static int hash32(byte[] data) {
        return hash32(data, 0, data.length, 0);
    }

    static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Murmur3's 64-bit finaliser: a bijective mix with full avalanche. */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
