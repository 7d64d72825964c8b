package countapp.config;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * A configured worker: its URL, and whether the coordinator spawns it (a loopback host) or only routes
 * to it (any other host, started by hand). Parse errors say what is wrong, never quote the text.
 */
public record WorkerEndpoint(String url, String host, int port, boolean local) {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private static final String URL_WITH_HOST_AND_PORT =
            "must be an http:// URL with a host and a port, e.g. http://localhost:5001";

    static WorkerEndpoint parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(URL_WITH_HOST_AND_PORT);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                || uri.getPort() > 65535) {
            throw new IllegalArgumentException(URL_WITH_HOST_AND_PORT);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
            throw new IllegalArgumentException("must be an http:// URL without a path, e.g. http://localhost:5001");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new WorkerEndpoint("http://" + host + ":" + uri.getPort(), bareHost, uri.getPort(), LOOPBACK.contains(host));
    }

    /**
     * Whether the host is this machine's loopback: {@code localhost}, {@code 127.x.x.x} or {@code ::1}.
     * Wider than {@link #local()} (which workers are spawned): a worker on {@code 127.0.0.2} is started by
     * hand, but on this machine, with this machine's disk.
     */
    boolean loopback() {
        return local || (host.startsWith("127.") && host.chars().allMatch(c -> c == '.' || Character.isDigit(c)))
                || "0:0:0:0:0:0:0:1".equals(host);
    }

    static WorkerEndpoint localPort(int port) {
        return new WorkerEndpoint("http://localhost:" + port, "localhost", port, true);
    }
}
