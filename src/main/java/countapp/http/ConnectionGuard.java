package countapp.http;

import countapp.model.Limits;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps idle or numerous clients from holding connections.
 *
 * <p>After each response a keep-alive connection must deliver its next request header within
 * {@code request_timeout}, else it is closed; connections beyond {@code max_connections} are closed at
 * once. One periodic sweep closes the overdue connections, rather than a timer per connection.
 *
 * <p>The deadline measures the client's idleness, not this process' own: when the sweep runs late (the
 * process was stopped, a long collection, a starved machine), every deadline moves by the time lost, so a
 * client whose next request arrived during the pause, and sits in the socket until the event loop runs
 * again, is never closed as idle. Sweeps run on one event loop (the periodic timer's), so
 * {@code lastSweep} has a single writer.
 *
 * <p>Limitation: Vert.x hands an HTTP/1.x connection to the application only once its first request
 * header is decoded, so a client still sending its first header is bounded by {@code max_header_bytes}
 * and the server's idle timeout instead. Such a connection costs a socket and a small buffer, never
 * event-loop time, so it cannot starve other clients.
 */
public final class ConnectionGuard {
    private static final long SWEEP_MS = 100;
    /** A sweep later than this past its schedule means this process did not run: the time is not the client's. */
    private static final long LATE_NANOS = 200_000_000L;

    private final Supplier<Limits> limits;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    /** Header deadline (System.nanoTime) of each connection awaiting a request; absent while one is served. */
    private final Map<HttpConnection, Long> deadlines = new ConcurrentHashMap<>();
    /** When the last sweep ran (nanoTime); read and written by the sweeps only. */
    private long lastSweep;

    public ConnectionGuard(Vertx vertx, Supplier<Limits> limits) {
        this(limits, System::nanoTime);
        vertx.setPeriodic(SWEEP_MS, id -> sweep());
    }

    ConnectionGuard(Supplier<Limits> limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
    }

    public void onConnection(HttpConnection conn) {
        int count = open.incrementAndGet();
        conn.closeHandler(v -> {
            open.decrementAndGet();
            deadlines.remove(conn);
        });
        if (count > limits.get().maxConnections()) {
            forceClose(conn);
            return;
        }
        awaitRequest(conn);
    }

    /** Called when a request's headers have arrived: the deadline is met until its response ends. */
    public void onRequest(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        deadlines.remove(conn);
        // bodyEndHandler, not endHandler: the request metrics own the response's single endHandler.
        req.response().bodyEndHandler(v -> awaitRequest(conn));
    }

    public int openConnections() {
        return open.get();
    }

    private void awaitRequest(HttpConnection conn) {
        deadlines.put(conn, nanoTime.getAsLong() + limits.get().requestTimeout().toNanos());
    }

    /** Closes every connection past its header deadline, after moving the deadlines by any time this process lost. */
    void sweep() {
        long now = nanoTime.getAsLong();
        long lost = now - lastSweep - TimeUnit.MILLISECONDS.toNanos(SWEEP_MS);
        lastSweep = now;
        if (lost > LATE_NANOS) {
            deadlines.replaceAll((conn, deadline) -> deadline + lost);
        }
        deadlines.forEach((conn, deadline) -> {
            if (now - deadline > 0 && deadlines.remove(conn, deadline)) {
                forceClose(conn);
            }
        });
    }

    /**
     * Closes the socket itself. Vert.x's {@code HttpConnection.close()} is a graceful shutdown that waits
     * for the request being received, which a slow client never finishes; so close the Netty channel.
     */
    private static void forceClose(HttpConnection conn) {
        if (conn instanceof ConnectionBase) {
            ((ConnectionBase) conn).channel().close();
        } else {
            conn.close();
        }
    }
}
