package countapp.worker;

import org.jspecify.annotations.Nullable;
import countapp.http.Admission;
import countapp.api.ApiException;
import countapp.http.Failures;
import countapp.http.Http;
import countapp.api.Json;
import countapp.store.IdChunk;
import countapp.store.Partition;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams one tenant's ids as JSON lines ({@code GET /items/{tenant}/ids}), a chunk at a time from the
 * partition's writer thread.
 *
 * <p>Memory stays bounded whatever the tenant's size: the next chunk is asked for only once the previous
 * one is handed to the connection and its write queue has room. The first chunk is read before the status
 * line is sent, so "not the owner" still gets its 421 (and the coordinator retries elsewhere); a failure
 * after that closes the connection, so a client can never take a cut-off dump for a complete one.
 */
final class IdStream {
    static final int CHUNK = 1000;
    static final String CONTENT_TYPE = "application/x-ndjson";

    private final Worker worker;
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final Partition partition;
    private final String tenant;
    private final Admission.Ticket ticket;
    private final Context context = Vertx.currentContext();
    private boolean started;
    private boolean done;

    private IdStream(Worker worker, HttpServerRequest req, Partition partition, String tenant, Admission.Ticket ticket) {
        this.ticket = ticket;
        this.worker = worker;
        this.req = req;
        this.resp = req.response();
        this.partition = partition;
        this.tenant = tenant;
    }

    /** Starts streaming; called on the request's event loop. */
    static void start(Worker worker, HttpServerRequest req, Partition partition, String tenant, Admission.Ticket ticket) {
        worker.requestStarted();
        IdStream stream = new IdStream(worker, req, partition, tenant, ticket);
        stream.resp.closeHandler(v -> stream.finish()); // the client went away: stop reading
        stream.next(null);
    }

    private void next(@Nullable String cursor) {
        partition.ids(tenant, cursor, CHUNK)
                .whenComplete((chunk, error) -> context.runOnContext(v -> onChunk(chunk, error)));
    }

    private void onChunk(IdChunk chunk, Throwable error) {
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
        Buffer lines = Buffer.buffer(Json.itemLines(tenant, chunk.ids()));
        if (chunk.complete()) {
            resp.end(lines);
            finish();
            return;
        }
        resp.write(lines);
        String cursor = chunk.next();
        if (resp.writeQueueFull()) {
            resp.drainHandler(v -> next(cursor));
        } else {
            next(cursor);
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
