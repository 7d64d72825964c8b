package countapp.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteSink} wrote, from a region of a byte array. Every read is bounds-checked: data from
 * a file or a socket that ends early or holds a bad varint throws {@link MalformedException}, never reads
 * past its region.
 */
public final class ByteSource {
    private final byte[] b;
    private int pos;
    private final int end;

    public ByteSource(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    /** The data is not what the format says. */
    public static final class MalformedException extends RuntimeException {
        public MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    public int position() {
        return pos;
    }

    public boolean hasMore() {
        return pos < end;
    }

    public byte[] array() {
        return b;
    }

    public byte get() {
        check(1);
        return b[pos++];
    }

    public int varint() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte x = get();
            v |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                if (v < 0) {
                    throw new MalformedException("negative varint at " + (pos - 1));
                }
                return v;
            }
        }
        throw new MalformedException("varint too long at " + pos);
    }

    public long varlong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte x = get();
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new MalformedException("varlong too long at " + pos);
    }

    /** Skips {@code n} bytes, returning where they start. */
    public int skip(int n) {
        check(n);
        int at = pos;
        pos += n;
        return at;
    }

    public String utf8(int n) {
        int at = skip(n);
        return new String(b, at, n, StandardCharsets.UTF_8);
    }

    /** A string as {@link ByteSink#putString} wrote it. */
    public String string() {
        return utf8(varint());
    }

    private void check(int n) {
        if (n < 0 || pos + n > end) {
            throw new MalformedException("data ends early at byte " + pos);
        }
    }
}
