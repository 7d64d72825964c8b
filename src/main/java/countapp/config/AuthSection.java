package countapp.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code auth} section: its keys, each with its tenants and whether it may read the ops endpoints. */
final class AuthSection {
    static final Set<String> KEYS = Set.of("keys");
    static final Set<String> KEY_KEYS = Set.of("key", "key_sha256", "tenants", "ops");
    private static final String TURN_OFF = "to turn authentication off, remove the auth key entirely";

    private AuthSection() {}

    /**
     * {@code present}: whether the file has an {@code auth} key at all. An {@code auth:} without keys is an
     * error, not "auth off": it is what commenting out the keys block leaves behind.
     */
    static Auth parse(boolean present, Object value, List<String> problems) {
        if (!present) {
            return Auth.OFF;
        }
        if (value == null) {
            problems.add("auth: has no keys; " + TURN_OFF);
            return Auth.OFF;
        }
        if (!(value instanceof Map)) {
            problems.add("auth: must be a mapping holding a list \"keys\", got " + Kind.of(value));
            return Auth.OFF;
        }
        Object keys = ((Map<?, ?>) value).get("keys");
        if (keys == null || (keys instanceof List && ((List<?>) keys).isEmpty())) {
            problems.add("auth.keys: has no keys; " + TURN_OFF);
            return Auth.OFF;
        }
        if (!(keys instanceof List)) {
            problems.add("auth.keys: must be a list of {key or key_sha256, tenants, ops}, got " + Kind.of(keys));
            return Auth.OFF;
        }
        List<Auth.Key> parsed = new ArrayList<>();
        List<?> entries = (List<?>) keys;
        for (int i = 0; i < entries.size(); i++) {
            Auth.Key key = key(entries.get(i), "auth.keys[" + i + "]: ", problems);
            if (key != null) {
                parsed.add(key);
            }
        }
        return Auth.of(parsed);
    }

    private static Auth.Key key(Object entry, String where, List<String> problems) {
        if (!(entry instanceof Map)) {
            problems.add(where + "must be a mapping with key (or key_sha256), and tenants and/or ops: true; got "
                    + Kind.of(entry));
            return null;
        }
        Map<?, ?> m = (Map<?, ?>) entry;
        int before = problems.size();
        byte[] digest = digest(m.get("key"), m.get("key_sha256"), where, problems);
        boolean ops = false;
        Object opsValue = m.get("ops");
        if (opsValue instanceof Boolean) {
            ops = (Boolean) opsValue;
        } else if (m.containsKey("ops")) {
            problems.add(where + "ops must be true or false, got " + Kind.of(opsValue));
        }
        Set<String> scope = new HashSet<>();
        Object tenants = m.get("tenants");
        if (tenants == null && !m.containsKey("tenants")) {
            if (!ops) {
                problems.add(where + "give tenants (the tenants the key may use, [\"*\"] for all) and/or ops: true "
                        + "(the ops endpoints)");
            }
        } else if (!(tenants instanceof List) || ((List<?>) tenants).isEmpty()) {
            problems.add(where + "tenants must be a non-empty list of tenant names, or [\"*\"] for all");
        } else {
            for (Object t : (List<?>) tenants) {
                if (t instanceof String || t instanceof Number || t instanceof Boolean) {
                    scope.add(String.valueOf(t));
                } else {
                    problems.add(where + "tenants must be a list of tenant names, got one that is " + Kind.of(t));
                    break;
                }
            }
        }
        return problems.size() > before ? null : new Auth.Key(digest, Set.copyOf(scope), ops);
    }

    private static byte[] digest(Object plain, Object hashed, String where, List<String> problems) {
        if ((plain == null) == (hashed == null)) {
            problems.add(where + "give exactly one of key and key_sha256");
            return null;
        }
        if (plain != null) {
            if (!(plain instanceof String) || ((String) plain).length() < 8) {
                problems.add(where + "key must be a string of at least 8 characters");
                return null;
            }
            return Auth.sha256((String) plain);
        }
        if (hashed instanceof String) {
            try {
                return Auth.parseDigest((String) hashed);
            } catch (IllegalArgumentException e) {
                // its message could quote the digest's characters: say what is expected instead
            }
        }
        problems.add(where + "key_sha256 must be the key's SHA-256 digest: 64 hex digits, in quotes");
        return null;
    }
}
