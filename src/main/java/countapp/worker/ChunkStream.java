package countapp.worker;

import countapp.api.ApiException;
import countapp.http.Admission;
import countapp.http.Failures;
import countapp.http.Http;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Streams JSON lines a chunk at a time from a partition (a tenant's ids, a window's counts).
 *
 * <p>Memory stays bounded whatever the size: the next chunk is asked for only once the previous one is
 * handed to the connection and its write queue has room. The first chunk is read before the status line is
 * sent, so "not the owner" still gets its 421 (and the coordinator retries elsewhere) and a refusal its own
 * status; a failure after that closes the connection, so a client can never take a cut-off stream for a
 * complete one.
 *
 * @param <C> a chunk, as the partition hands it out
 */
abstract class ChunkStream<C> {
    static final String CONTENT_TYPE = "application/x-ndjson";

    private final Worker worker;
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final Admission.Ticket ticket;
    private final Context context = Vertx.currentContext();
    private boolean started;
    private boolean done;

    ChunkStream(Worker worker, HttpServerRequest req, Admission.Ticket ticket) {
        this.worker = worker;
        this.req = req;
        this.resp = req.response();
        this.ticket = ticket;
    }

    /** Asks the partition for the next chunk. */
    abstract CompletableFuture<C> fetch();

    /** Takes note of a chunk (where the next one starts); true when it is the last. */
    abstract boolean consume(C chunk);

    /** The chunk's JSON lines. */
    abstract Buffer lines(C chunk);

    /** Starts streaming; called on the request's event loop. */
    final void start() {
        worker.requestStarted();
        resp.closeHandler(v -> finish()); // the client went away: stop reading
        next();
    }

    private void next() {
        fetch().whenComplete((chunk, error) -> context.runOnContext(v -> onChunk(chunk, error)));
    }

    private void onChunk(C chunk, Throwable error) {
        if (done) {
            return;
        }
        if (error != null) {
            if (started) {
                req.connection().close(); // no terminating chunk: the client sees a broken transfer
            } else {
                ApiException e = Failures.toApi(error);
                Http.error(req, e);
            }
            finish();
            return;
        }
        if (!started) {
            started = true;
            resp.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
        }
        boolean last = consume(chunk);
        Buffer lines = lines(chunk);
        if (last) {
            resp.end(lines);
            finish();
            return;
        }
        resp.write(lines);
        if (resp.writeQueueFull()) {
            resp.drainHandler(v -> next());
        } else {
            next();
        }
    }

    private void finish() {
        if (!done) {
            done = true;
            ticket.release();
            worker.requestFinished();
        }
    }
}
