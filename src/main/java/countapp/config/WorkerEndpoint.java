package countapp.config;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * A configured worker: its URL, and whether the coordinator spawns it (a loopback host) or only routes
 * to it (any other host, started by hand).
 */
public record WorkerEndpoint(String url, String host, int port, boolean local) {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    static WorkerEndpoint parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a URL: " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("\"" + text + "\" must be an http:// URL");
        }
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("\"" + text + "\" must name a host and a port, e.g. http://localhost:5001");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
            throw new IllegalArgumentException("\"" + text + "\" must not have a path");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new WorkerEndpoint("http://" + host + ":" + uri.getPort(), bareHost, uri.getPort(), LOOPBACK.contains(host));
    }

    static WorkerEndpoint localPort(int port) {
        return new WorkerEndpoint("http://localhost:" + port, "localhost", port, true);
    }
}
