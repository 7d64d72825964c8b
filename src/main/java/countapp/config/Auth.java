package countapp.config;

import countapp.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API keys and the tenants each may read and write. Off unless {@code auth} is configured (seed
 * compatibility). Keys are held only as SHA-256 digests, compared in constant time, and never printed.
 */
public final class Auth {
    public static final Auth OFF = new Auth(List.of(), false);

    /** One key: its SHA-256 digest and its tenants ({@code *} = every tenant). */
    public record Key(byte[] digest, Set<String> tenants) {
        boolean allows(String tenant) {
            return tenants.contains("*") || tenants.contains(tenant);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && MessageDigest.isEqual(digest, ((Key) o).digest) && tenants.equals(((Key) o).tenants);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(digest) * 31 + tenants.hashCode();
        }

        @Override
        public String toString() {
            return "Key[tenants=" + tenants + "]";
        }
    }

    private final List<Key> keys;
    private final boolean enabled;

    private Auth(List<Key> keys, boolean enabled) {
        this.keys = List.copyOf(keys);
        this.enabled = enabled;
    }

    static Auth of(List<Key> keys) {
        return new Auth(keys, true);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The caller's key from an {@code Authorization: Bearer …} header; 401 when missing or unknown. */
    public Key authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "missing API key: send \"Authorization: Bearer <key>\"");
        }
        byte[] digest = sha256(authorization.substring(7).trim());
        Key found = null;
        for (Key k : keys) { // every key is compared, in constant time, whichever matches
            if (MessageDigest.isEqual(k.digest(), digest)) {
                found = k;
            }
        }
        if (found == null) {
            throw new ApiException(401, "unknown API key");
        }
        return found;
    }

    /** 403 unless {@code key} may use {@code tenant}. */
    public static void authorize(Key key, String tenant) {
        if (!key.allows(tenant)) {
            throw new ApiException(403, "this API key may not use tenant \"" + tenant + "\"", Map.of("tenant", tenant));
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static byte[] parseDigest(String hex) {
        byte[] digest = HexFormat.of().parseHex(hex.trim().toLowerCase(java.util.Locale.ROOT));
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 64 hex digits");
        }
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Auth && enabled == ((Auth) o).enabled && keys.equals(((Auth) o).keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return enabled ? "Auth[" + keys.size() + " keys]" : "Auth[off]";
    }
}
