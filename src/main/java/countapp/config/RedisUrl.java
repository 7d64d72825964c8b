package countapp.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code redis://host:port[,host:port…]} (and {@code rediss://} for TLS) into node addresses. Its
 * messages name the node by position, never the URL: a URL with a password in it must not reach a log.
 */
final class RedisUrl {
    static final String SCHEME = "redis://";
    static final String TLS_SCHEME = "rediss://";
    private static final int DEFAULT_PORT = 6379;

    private RedisUrl() {}

    static boolean isRedis(String value) {
        return value.startsWith(SCHEME) || value.startsWith(TLS_SCHEME);
    }

    static List<RedisConfig.HostPort> nodes(String url) {
        String rest = url.substring(url.startsWith(TLS_SCHEME) ? TLS_SCHEME.length() : SCHEME.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        // A password in the URL would end up in logs and process listings; it has its own key.
        if (rest.contains("@")) {
            throw new IllegalArgumentException("the redis:// URL holds credentials; put the password in redis_password instead");
        }
        if (rest.contains("/") || rest.contains("?")) {
            throw new IllegalArgumentException("give only host:port pairs separated by commas after redis:// "
                    + "(database numbers and options are not supported)");
        }
        Set<RedisConfig.HostPort> nodes = new LinkedHashSet<>();
        String[] parts = rest.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            nodes.add(hostPort(parts[i].trim(), "node " + (i + 1) + " of the redis:// URL"));
        }
        return new ArrayList<>(nodes);
    }

    private static RedisConfig.HostPort hostPort(String s, String node) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(node + " is empty");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(node + " has an unclosed [");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(node + " needs :port after its ]");
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(node + " has no host");
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(node + ": the port must be a number from 1 to 65535");
            }
        }
        return new RedisConfig.HostPort(host, p);
    }
}
