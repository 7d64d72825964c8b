package countapp.worker;

import countapp.api.ApiException;
import countapp.api.Json;
import countapp.http.Admission;
import countapp.http.Failures;
import countapp.http.Http;
import countapp.store.CountCursor;
import countapp.store.TenantCount;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams one partition's counts in one window as JSON lines (the coordinator's {@code GET /counts} asks
 * each partition's owner in turn), a chunk at a time, as {@link IdStream} does for ids: the next chunk is
 * asked for only once the connection has room, the first one before the status line (so "not the owner"
 * and "not kept" keep their status), and a failure after that closes the connection.
 */
final class CountStream {
    static final int CHUNK = 1000;

    private final Worker worker;
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final CountCursor cursor;
    private final Admission.Ticket ticket;
    private final Context context = Vertx.currentContext();
    private boolean started;
    private boolean done;

    private CountStream(Worker worker, HttpServerRequest req, CountCursor cursor, Admission.Ticket ticket) {
        this.worker = worker;
        this.req = req;
        this.resp = req.response();
        this.cursor = cursor;
        this.ticket = ticket;
    }

    static void start(Worker worker, HttpServerRequest req, CountCursor cursor, Admission.Ticket ticket) {
        worker.requestStarted();
        CountStream stream = new CountStream(worker, req, cursor, ticket);
        stream.resp.closeHandler(v -> stream.finish());
        stream.next();
    }

    private void next() {
        cursor.next(CHUNK).whenComplete((chunk, error) -> context.runOnContext(v -> onChunk(chunk, error)));
    }

    private void onChunk(List<TenantCount> chunk, Throwable error) {
        if (done) {
            return;
        }
        if (error != null) {
            if (started) {
                req.connection().close();
            } else {
                ApiException e = Failures.toApi(error);
                Http.error(req, e);
            }
            finish();
            return;
        }
        if (!started) {
            started = true;
            resp.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, IdStream.CONTENT_TYPE);
        }
        if (chunk.isEmpty()) {
            resp.end();
            finish();
            return;
        }
        List<String> tenants = new ArrayList<>(chunk.size());
        long[] counts = new long[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            tenants.add(chunk.get(i).tenant());
            counts[i] = chunk.get(i).count();
        }
        resp.write(Buffer.buffer(Json.countLines(tenants, counts)));
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
