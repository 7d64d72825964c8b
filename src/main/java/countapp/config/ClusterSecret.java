package countapp.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The shared secret that lets the coordinator stop and reconfigure workers. Compared in constant time;
 * never printed. Spawned workers receive it in the {@value #ENV} environment variable (not on the command
 * line, where other users could read it).
 */
public final class ClusterSecret {
    public static final String ENV = "COUNTAPP_CLUSTER_SECRET";
    public static final String HEADER = "X-CountApp-Secret";

    private final String value;

    private ClusterSecret(String value) {
        if (value.length() < 16) {
            throw new IllegalArgumentException("cluster_secret must be at least 16 characters");
        }
        this.value = value;
    }

    public static ClusterSecret of(String value) {
        return new ClusterSecret(value);
    }

    public static ClusterSecret random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new ClusterSecret(HexFormat.of().formatHex(bytes));
    }

    public String value() {
        return value;
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSecret && matches(((ClusterSecret) o).value);
    }

    @Override
    public int hashCode() {
        return 1;
    }

    @Override
    public String toString() {
        return "ClusterSecret[redacted]";
    }
}
