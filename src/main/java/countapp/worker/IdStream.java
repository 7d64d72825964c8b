package countapp.worker;

import countapp.api.Json;
import countapp.http.Admission;
import countapp.store.IdChunk;
import countapp.store.Partition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Streams one tenant's ids as JSON lines ({@code GET /items/{tenant}/ids}), as {@link ChunkStream} says. */
final class IdStream extends ChunkStream<IdChunk> {
    static final int CHUNK = 1000;

    private final Partition partition;
    private final String tenant;
    private @Nullable String cursor;

    private IdStream(Worker worker, HttpServerRequest req, Partition partition, String tenant, Admission.Ticket ticket) {
        super(worker, req, ticket);
        this.partition = partition;
        this.tenant = tenant;
    }

    static void start(Worker worker, HttpServerRequest req, Partition partition, String tenant, Admission.Ticket ticket) {
        new IdStream(worker, req, partition, tenant, ticket).start();
    }

    @Override
    CompletableFuture<IdChunk> fetch() {
        return partition.ids(tenant, cursor, CHUNK);
    }

    @Override
    boolean consume(IdChunk chunk) {
        cursor = chunk.next();
        return chunk.complete();
    }

    @Override
    Buffer lines(IdChunk chunk) {
        return Buffer.buffer(Json.itemLines(tenant, chunk.ids()));
    }
}
