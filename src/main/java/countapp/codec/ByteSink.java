package countapp.codec;

import java.util.Arrays;

/**
 * A growable byte array with writers for varints and UTF-8: the one encoder of CountApp's binary formats
 * (the log's frames, the coordinator-worker channel). Reused between messages, so the hot path allocates
 * only when a message outgrows every earlier one.
 */
public final class ByteSink {
    private byte[] bytes;
    private int length;

    public ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public void reset() {
        length = 0;
    }

    /** Moves the end back (or forward over bytes already reserved); for reserving and filling headers. */
    public void setLength(int length) {
        ensure(length - this.length);
        this.length = length;
    }

    public void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    public void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    public void putVarint(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            bytes[length++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        bytes[length++] = (byte) v;
    }

    public void putVarlong(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            bytes[length++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        bytes[length++] = (byte) v;
    }

    public void putBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    public void putIntBE(int at, int v) {
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    public void putIntLE(int at, int v) {
        bytes[at] = (byte) v;
        bytes[at + 1] = (byte) (v >>> 8);
        bytes[at + 2] = (byte) (v >>> 16);
        bytes[at + 3] = (byte) (v >>> 24);
    }

    /** Appends {@code s} as varint(UTF-8 length) then its UTF-8 bytes. */
    public void putString(String s) {
        int lengthAt = length;
        ensure(5);
        length += 1; // most strings are short: one varint byte, moved if the guess is wrong
        int n = putUtf8(s);
        int varintBytes = varintLength(n);
        if (varintBytes != 1) {
            ensure(varintBytes - 1);
            System.arraycopy(bytes, lengthAt + 1, bytes, lengthAt + varintBytes, n);
            length += varintBytes - 1;
        }
        int at = lengthAt;
        int v = n;
        while ((v & ~0x7f) != 0) {
            bytes[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        bytes[at] = (byte) v;
    }

    /**
     * Appends {@code s} as UTF-8 and returns its byte length. The caller has validated it (no unpaired
     * surrogates; one would be written as the three bytes of the lone surrogate).
     */
    public int putUtf8(String s) {
        int n = s.length();
        ensure(n * 3);
        int start = length;
        byte[] b = bytes;
        int pos = length;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[pos++] = (byte) c;
            } else if (c < 0x800) {
                b[pos++] = (byte) (0xc0 | (c >> 6));
                b[pos++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[pos++] = (byte) (0xf0 | (cp >> 18));
                b[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[pos++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                b[pos++] = (byte) (0xe0 | (c >> 12));
                b[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[pos++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        length = pos;
        return pos - start;
    }

    public static int varintLength(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
