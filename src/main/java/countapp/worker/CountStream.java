package countapp.worker;

import countapp.api.Json;
import countapp.http.Admission;
import countapp.store.CountCursor;
import countapp.store.TenantCount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Streams one partition's counts in one window as JSON lines (the coordinator's {@code GET /counts} asks
 * each partition's owner in turn), as {@link ChunkStream} says: "not kept" and "not the owner" keep their
 * status, a later failure cuts the connection.
 */
final class CountStream extends ChunkStream<List<TenantCount>> {
    static final int CHUNK = 1000;

    private final CountCursor cursor;

    private CountStream(Worker worker, HttpServerRequest req, CountCursor cursor, Admission.Ticket ticket) {
        super(worker, req, ticket);
        this.cursor = cursor;
    }

    static void start(Worker worker, HttpServerRequest req, CountCursor cursor, Admission.Ticket ticket) {
        new CountStream(worker, req, cursor, ticket).start();
    }

    @Override
    CompletableFuture<List<TenantCount>> fetch() {
        return cursor.next(CHUNK);
    }

    @Override
    boolean consume(List<TenantCount> chunk) {
        return chunk.isEmpty();
    }

    @Override
    Buffer lines(List<TenantCount> chunk) {
        List<String> tenants = new ArrayList<>(chunk.size());
        long[] counts = new long[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            tenants.add(chunk.get(i).tenant());
            counts[i] = chunk.get(i).count();
        }
        return Buffer.buffer(Json.countLines(tenants, counts));
    }
}
