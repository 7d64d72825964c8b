package countapp.api;

import org.jspecify.annotations.Nullable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;

/**
 * Extracts the tenant from {@code /items/{tenant}/count} (and {@code /items/{tenant}/ids}). The tenant is
 * percent-decoded as a path segment ({@code +} stays a plus), must be valid UTF-8, and may contain
 * anything, including {@code /}: it is data.
 */
public final class CountPath {
    private static final String PREFIX = "/items/";
    public static final String SUFFIX = "/count";
    public static final String IDS_SUFFIX = "/ids";

    private CountPath() {}

    /** The decoded tenant, or null when {@code rawPath} is not a count path. */
    public static @Nullable String tenant(String rawPath) {
        return tenant(rawPath, SUFFIX);
    }

    /** The decoded tenant of {@code /items/{tenant}<suffix>}; 404 when there is none (an empty tenant). */
    public static String require(String rawPath, String suffix) {
        String tenant = tenant(rawPath, suffix);
        if (tenant == null) {
            throw new ApiException(404, "no tenant in " + rawPath);
        }
        return tenant;
    }

    /** The decoded tenant of {@code /items/{tenant}<suffix>}, or null when {@code rawPath} is not one. */
    public static @Nullable String tenant(String rawPath, String suffix) {
        if (!rawPath.startsWith(PREFIX) || !rawPath.endsWith(suffix)
                || rawPath.length() <= PREFIX.length() + suffix.length()) {
            return null;
        }
        String tenant = percentDecode(rawPath.substring(PREFIX.length(), rawPath.length() - suffix.length()));
        if (tenant.isEmpty()) {
            return null;
        }
        return tenant;
    }

    /** A tenant and one of its ids, from {@code DELETE /items/{tenant}/ids/{id}}. */
    public record Pair(String tenant, String id) {}

    public static final String PAIR_INFIX = "/ids/";

    /**
     * The tenant and id of {@code /items/{tenant}/ids/{id}}: the id is the last segment (a slash inside an id
     * is sent as %2F), the tenant everything between {@code /items/} and the last {@code /ids/}; 404 when
     * either is empty.
     */
    public static Pair requirePair(String rawPath) {
        int infix = rawPath.lastIndexOf(PAIR_INFIX);
        if (!rawPath.startsWith(PREFIX) || infix < PREFIX.length()) {
            throw new ApiException(404, "not a pair path: expected /items/{tenant}/ids/{id}");
        }
        String rawId = rawPath.substring(infix + PAIR_INFIX.length());
        if (rawId.indexOf('/') >= 0) {
            throw new ApiException(404, "an id in a path is one segment: send a slash inside it as %2F");
        }
        String tenant = percentDecode(rawPath.substring(PREFIX.length(), infix));
        String id = percentDecode(rawId);
        if (tenant.isEmpty() || id.isEmpty()) {
            throw new ApiException(404, "no tenant or no id in " + rawPath);
        }
        return new Pair(tenant, id);
    }

    /** The tenant of {@code /items/{tenant}}; 404 when it is empty. */
    public static String requireTenant(String rawPath) {
        String tenant = rawPath.startsWith(PREFIX) ? percentDecode(rawPath.substring(PREFIX.length())) : "";
        if (tenant.isEmpty()) {
            throw new ApiException(404, "no tenant in " + rawPath);
        }
        return tenant;
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new ApiException(400, "bad percent-encoding in tenant: truncated escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new ApiException(400, "bad percent-encoding in tenant: %" + s.charAt(i + 1) + s.charAt(i + 2));
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return Utf8.decode(out.toByteArray());
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "tenant is not valid UTF-8 once percent-decoded");
        }
    }
}
