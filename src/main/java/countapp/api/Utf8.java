package countapp.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 helpers that refuse malformed text instead of silently replacing it (which could merge ids). */
public final class Utf8 {
    private Utf8() {}

    /** The UTF-8 length of {@code s}, or -1 if it holds an unpaired surrogate. */
    public static int encodedLength(CharSequence s) {
        int bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1;
                }
                bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no overlong
     * forms, no surrogates, nothing above U+10FFFF), or -1 when all of {@code b} is well-formed.
     */
    public static int firstInvalid(byte[] b) {
        return firstInvalid(b, 0, b.length);
    }

    /** As {@link #firstInvalid(byte[])}, over {@code b[from..to)}: the offset returned is into {@code b}. */
    public static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        int n = to;
        while (i < n) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int length;
            int secondMin = 0x80;
            int secondMax = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                length = 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                length = 3;
                if (c == 0xe0) {
                    secondMin = 0xa0; // below is overlong
                } else if (c == 0xed) {
                    secondMax = 0x9f; // above is a surrogate
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                length = 4;
                if (c == 0xf0) {
                    secondMin = 0x90; // below is overlong
                } else if (c == 0xf4) {
                    secondMax = 0x8f; // above is beyond U+10FFFF
                }
            } else {
                return i;
            }
            if (i + length > n) {
                return i;
            }
            int second = b[i + 1] & 0xff;
            if (second < secondMin || second > secondMax) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }

    /** Strict decoding: malformed input throws instead of becoming U+FFFD. */
    public static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
