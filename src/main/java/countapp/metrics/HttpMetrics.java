package countapp.metrics;

import countapp.api.Endpoint;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Request rates and latency histograms per endpoint and status:
 * {@code countapp_http_server_requests_seconds{endpoint,status}}.
 *
 * <p>Cheap on the hot path: timers live in arrays by endpoint, indexed by status code, so recording a
 * request is an array read and a histogram update; a timer is registered on first use of its status.
 */
public final class HttpMetrics {
    static final String NAME = "countapp.http.server.requests";
    /** Fixed histogram buckets: few enough to keep scrapes small, spread from sub-millisecond to the 30 s deadline. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};
    private static final int STATUSES = 600;

    private final MeterRegistry registry;
    /** Per endpoint, its timers by status code; filled for every endpoint here, then only read. */
    private final Map<Endpoint, AtomicReferenceArray<Timer>> timers = new EnumMap<>(Endpoint.class);

    /** Registers a 200 timer for each served endpoint, so rates exist (at zero) before the first request. */
    public HttpMetrics(MeterRegistry registry, Set<Endpoint> served) {
        this.registry = registry;
        for (Endpoint e : Endpoint.values()) {
            timers.put(e, new AtomicReferenceArray<>(STATUSES));
        }
        for (Endpoint e : served) {
            timer(e, 200);
        }
    }

    /** Wraps a request handler so every answered request is timed from its arrival to its last byte. */
    public Handler<HttpServerRequest> instrument(Handler<HttpServerRequest> handler) {
        return req -> {
            long start = System.nanoTime();
            Endpoint endpoint = Endpoint.of(req.path());
            HttpServerResponse resp = req.response();
            resp.endHandler(v -> record(endpoint, resp.getStatusCode(), System.nanoTime() - start));
            handler.handle(req);
        };
    }

    void record(Endpoint endpoint, int status, long nanos) {
        timer(endpoint, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The timer of one endpoint and status, registered on first use. */
    public Timer timer(Endpoint endpoint, int status) {
        int code = status >= 100 && status < STATUSES ? status : 0;
        AtomicReferenceArray<Timer> byStatus = java.util.Objects.requireNonNull(timers.get(endpoint));
        Timer timer = byStatus.get(code);
        if (timer == null) {
            // Registering twice is harmless: the registry returns the same timer for the same id.
            timer = Timer.builder(NAME)
                    .description("HTTP requests by endpoint and status, from arrival to the last byte of the answer")
                    .tag("endpoint", endpoint.label())
                    .tag("status", Integer.toString(code))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            byStatus.set(code, timer);
        }
        return timer;
    }
}
