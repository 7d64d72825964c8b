package countapp.model;

import java.time.Duration;

/**
 * Request limits, enforced before anything is stored. Each has a documented default (README "Security").
 *
 * @param maxBodyBytes largest accepted request body (413 beyond)
 * @param maxItems largest number of items in one POST (413 beyond)
 * @param maxValueBytes largest UTF-8 length of an {@code id} or a {@code tenant} (400 beyond)
 * @param maxHeaderBytes largest request line plus headers (431 beyond)
 * @param requestTimeout time a client has to deliver a request's headers (after connecting or after its
 *     previous response) and, separately, its body; a slower connection is closed (408 for a body)
 * @param maxConnections open connections per server; further ones are closed at once
 * @param maxPendingBytes bytes of request bodies a server holds at once, across all connections (503
 *     with {@code Retry-After} beyond; see {@link Admission})
 * @param maxInFlight requests a server serves at once (503 with {@code Retry-After} beyond)
 */
public record Limits(int maxBodyBytes, int maxItems, int maxValueBytes, int maxHeaderBytes, Duration requestTimeout,
        int maxConnections, long maxPendingBytes, int maxInFlight) {
    public static final Limits DEFAULT = new Limits(16 * 1024 * 1024, 100_000, 512, 8192, Duration.ofSeconds(10), 10_000,
            64L * 1024 * 1024, 4096);

    public Limits {
        if (maxBodyBytes < 1 || maxItems < 1 || maxValueBytes < 1 || maxHeaderBytes < 256 || maxConnections < 1
                || requestTimeout.toMillis() < 1 || maxPendingBytes < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("limits must be positive (max_header_bytes at least 256)");
        }
    }

    /** Limits with {@code maxBodyBytes}, {@code maxItems} and {@code maxValueBytes} changed, for tests. */
    public static Limits of(int maxBodyBytes, int maxItems, int maxValueBytes) {
        return new Limits(maxBodyBytes, maxItems, maxValueBytes, DEFAULT.maxHeaderBytes, DEFAULT.requestTimeout,
                DEFAULT.maxConnections, DEFAULT.maxPendingBytes, DEFAULT.maxInFlight);
    }
}
