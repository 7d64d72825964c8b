package countapp.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses {@code redis://host:port[,host:port…]} (and {@code rediss://} for TLS) into node addresses. */
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
            throw new IllegalArgumentException(url.replaceAll("//[^@]*@", "//***@")
                    + " holds credentials; put the password in redis_password instead");
        }
        if (rest.contains("/") || rest.contains("?")) {
            throw new IllegalArgumentException(url + ": give only host:port pairs separated by commas "
                    + "(database numbers and options are not supported)");
        }
        Set<RedisConfig.HostPort> nodes = new LinkedHashSet<>();
        for (String part : rest.split(",", -1)) {
            nodes.add(hostPort(part.trim(), url));
        }
        return new ArrayList<>(nodes);
    }

    private static RedisConfig.HostPort hostPort(String s, String url) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(url + " has an empty node address");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(url + ": unclosed [ in " + s);
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(url + ": expected :port after " + s.substring(0, close + 1));
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(url + " has a node without a host: " + s);
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(url + ": port of " + s + " must be a number from 1 to 65535");
            }
        }
        return new RedisConfig.HostPort(host, p);
    }
}
