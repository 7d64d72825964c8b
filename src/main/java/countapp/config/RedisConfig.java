package countapp.config;

import java.time.Duration;

import java.util.List;

/**
 * Where and how to reach Redis when {@code database} is a {@code redis://} or {@code rediss://} URL.
 *
 * @param nodes {@code host:port} of each node given; one node means a standalone server, several mean a
 *     Redis Cluster whose full topology is discovered from them
 * @param tls whether the scheme was {@code rediss://}
 * @param password the {@code redis_password}, or null
 * @param waitReplicas {@code redis_wait_replicas}: replicas that must confirm an add before it is acknowledged
 * @param timeout {@code redis_timeout}: how long one Redis command may take before the request fails (503)
 */
public record RedisConfig(List<HostPort> nodes, boolean tls, String password, int waitReplicas, Duration timeout) {
    /**
     * The environment variable a coordinator hands its spawned workers the password in (not the command
     * line, where other users could read it).
     */
    public static final String PASSWORD_ENV = "COUNTAPP_REDIS_PASSWORD";

    /** One node address. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public RedisConfig {
        nodes = List.copyOf(nodes);
    }

    public boolean cluster() {
        return nodes.size() > 1;
    }

    /** The URL as configured, never the password: this is what logs and status pages show. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://");
        for (int i = 0; i < nodes.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(nodes.get(i));
        }
        return sb.toString();
    }
}
