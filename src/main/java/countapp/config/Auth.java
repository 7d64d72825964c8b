package countapp.config;

import countapp.model.ItemBatch;
import countapp.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API keys, the tenants each may read and write, and whether it may read the ops endpoints ({@code /},
 * {@code /status}, {@code /metrics}, {@code /dashboard}). Off unless {@code auth} is configured (seed
 * compatibility). Keys are held only as SHA-256 digests, compared in constant time, and never printed.
 */
public final class Auth {
    public static final Auth OFF = new Auth(List.of(), false);

    /** One key: its SHA-256 digest, its tenants ({@code *} = every tenant; none for an ops-only key) and ops. */
    public record Key(byte[] digest, Set<String> tenants, boolean ops) {
        boolean allows(String tenant) {
            return tenants.contains("*") || tenants.contains(tenant);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && MessageDigest.isEqual(digest, ((Key) o).digest) && tenants.equals(((Key) o).tenants)
                    && ops == ((Key) o).ops;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(digest) * 31 + tenants.hashCode() + (ops ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Key[tenants=" + tenants + (ops ? ", ops" : "") + "]";
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
        return find(authorization.substring(7).trim());
    }

    /**
     * The caller's key on an ops endpoint: {@code Authorization: Bearer <key>}, or HTTP Basic with the key as
     * the password (any user name), which is what a browser sends after its sign-in prompt. 401 when missing
     * or unknown, 403 for a key without {@code ops: true}. Basic is accepted here only: browsers send cached
     * Basic credentials along with requests other sites make them send, which must never add items.
     */
    public Key authenticateOps(String authorization) {
        String presented = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            presented = basicPassword(authorization.substring(6).trim());
        }
        if (presented == null) {
            throw new ApiException(401, "this endpoint needs an API key with ops: true: send \"Authorization: Bearer <key>\" "
                    + "or HTTP Basic with the key as the password");
        }
        Key key = find(presented);
        if (!key.ops()) {
            throw new ApiException(403, "this API key may not read the ops endpoints (it has no \"ops: true\")");
        }
        return key;
    }

    /** The password of a Basic credential ({@code base64(user:password)}), or null when malformed. */
    private static String basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Key find(String presented) {
        byte[] digest = sha256(presented);
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
    /** Checks every tenant of {@code batch} against {@code key}; a null key (auth off, or the coordinator) passes. */
    public static ItemBatch authorize(Key key, ItemBatch batch) {
        if (key != null) {
            String last = null;
            for (int i = 0; i < batch.size(); i++) {
                String tenant = batch.tenant(i);
                if (!tenant.equals(last)) { // batches are usually runs of one tenant
                    authorize(key, tenant);
                    last = tenant;
                }
            }
        }
        return batch;
    }

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
