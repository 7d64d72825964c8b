package countapp.http;

import countapp.api.ApiException;
import countapp.model.Limits;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Bounds the work a server holds at once, so hostile or excess traffic costs clients a quick 503 with
 * {@code Retry-After} instead of costing the process its memory.
 *
 * <p>Two ceilings, read from the limits in force at each use: requests being served
 * ({@code max_in_flight}), and bytes of request bodies held ({@code max_pending_bytes}, and never more
 * than a quarter of the heap). Body bytes are counted as they arrive, never from a declared
 * {@code Content-Length}, so a client that declares 16 MiB and sends one byte holds one byte. A request's
 * bytes stay counted until it is answered, since its parsed items live that long too.
 *
 * <p>Thread-safe: the counters are shared by every event loop of the process; a {@link Ticket} is used by
 * the one request it belongs to.
 */
public final class Admission {
    /** Seconds a client is asked to wait before retrying a refused request. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final Supplier<Limits> limits;
    private final long heapCeiling;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();

    public Admission(Supplier<Limits> limits) {
        this(limits, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Admits everything: for the coordinator's control messages, which must never be refused as overload. */
    public static Admission unbounded() {
        Limits none = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                java.time.Duration.ofDays(1), Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
        return new Admission(() -> none, Long.MAX_VALUE);
    }

    Admission(Supplier<Limits> limits, long heapCeiling) {
        this.limits = limits;
        this.heapCeiling = heapCeiling;
    }

    /**
     * Admits one request, or throws a 503 when the server already serves {@code max_in_flight} requests or
     * holds its ceiling of body bytes. The caller must {@link Ticket#release} the ticket once it answered.
     */
    public Ticket admit() {
        Limits l = limits.get();
        if (pendingBytes.get() >= byteCeiling(l)) {
            throw overloaded("the server holds its limit of " + byteCeiling(l) + " bytes of request bodies",
                    "max_pending_bytes");
        }
        if (inFlight.incrementAndGet() > l.maxInFlight()) {
            inFlight.decrementAndGet();
            throw overloaded("the server is serving its limit of " + l.maxInFlight() + " requests", "max_in_flight");
        }
        return new Ticket();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long pendingBytes() {
        return pendingBytes.get();
    }

    private long byteCeiling(Limits l) {
        return Math.min(l.maxPendingBytes(), heapCeiling);
    }

    static ApiException overloaded(String why, String limit) {
        return new ApiException(503, why + "; retry in " + RETRY_AFTER_SECONDS + " s",
                java.util.Map.of("limit", limit), RETRY_AFTER_SECONDS);
    }

    /** One admitted request: the body bytes it holds and its place among the requests in flight. */
    public final class Ticket {
        private long reserved;
        private boolean released;

        private Ticket() {}

        /**
         * Counts {@code bytes} more of this request's body; false (nothing counted) when that would pass
         * the ceiling, and the request must then be refused.
         */
        public boolean reserve(int bytes) {
            long ceiling = byteCeiling(limits.get());
            while (true) {
                long current = pendingBytes.get();
                if (current + bytes > ceiling) {
                    return false;
                }
                if (pendingBytes.compareAndSet(current, current + bytes)) {
                    reserved += bytes;
                    return true;
                }
            }
        }

        /** Gives back the bytes and the in-flight place; idempotent. */
        public void release() {
            if (!released) {
                released = true;
                pendingBytes.addAndGet(-reserved);
                reserved = 0;
                inFlight.decrementAndGet();
            }
        }
    }
}
