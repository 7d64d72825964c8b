package countapp.worker;

import countapp.protocol.Operation;
import countapp.protocol.OperationKind;
import countapp.api.ApiException;
import countapp.http.Failures;
import countapp.codec.ByteSource;
import countapp.protocol.FrameSplitter;
import countapp.protocol.ReplyWriter;
import countapp.protocol.Request;
import countapp.metrics.ChannelMetrics;
import countapp.metrics.IngestMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end of the coordinator's channel (see {@link countapp.protocol.Channel}): turns an upgraded
 * {@code GET /channel} connection into a stream of request frames, runs each frame's operations against
 * the partitions, and writes one reply frame per request when all of its operations are done.
 *
 * <p>Threads: decoding and replies run on the connection's event loop; adds complete on the store's
 * writers and hop back to that event loop once per frame, not once per operation.
 */
final class ChannelEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelEndpoint.class);

    private final Worker worker;
    private final Ingest ingest;
    private final IngestMetrics metrics;
    private final ChannelMetrics frames;
    private final Runner runner = new Runner();

    ChannelEndpoint(Worker worker, Ingest ingest, IngestMetrics metrics, ChannelMetrics frames) {
        this.worker = worker;
        this.ingest = ingest;
        this.metrics = metrics;
        this.frames = frames;
    }

    /** Takes over an authorised upgrade request: answers 101 and serves frames until the connection closes. */
    void accept(HttpServerRequest req) {
        req.toNetSocket().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("channel upgrade from {} failed: {}", req.remoteAddress(), ar.cause().toString());
                return;
            }
            NetSocket socket = ar.result();
            Context context = Vertx.currentContext();
            socket.handler(new FrameSplitter((b, from, to) -> serve(socket, context, b, from, to), problem -> {
                LOG.warn("closing the channel from {}: {}", socket.remoteAddress(), problem);
                socket.close();
            }));
        });
    }

    private void serve(NetSocket socket, Context context, byte[] b, int from, int to) {
        Request request;
        try {
            request = Request.decode(b, from, to);
        } catch (ByteSource.MalformedException e) {
            LOG.warn("closing the channel from {}: malformed frame: {}", socket.remoteAddress(), e.getMessage());
            socket.close();
            return;
        }
        int n = request.size();
        frames.frame(n);
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Long>[] results = new CompletableFuture[n];
        worker.requestStarted();
        long items = 0;
        for (int op = 0; op < n; op++) {
            Operation o = request.operations().get(op);
            if (o instanceof Operation.Add add) {
                items += add.count();
            }
            results[op] = worker.stopping()
                    ? CompletableFuture.failedFuture(new ApiException(503, "worker is stopping"))
                    : run(o);
        }
        metrics.received((int) items);
        CompletableFuture.allOf(results).whenComplete((v, e) -> context.runOnContext(x -> {
            ReplyWriter reply = new ReplyWriter(request.id());
            long added = 0;
            for (int op = 0; op < n; op++) {
                CompletableFuture<Long> r = results[op];
                if (!r.isCompletedExceptionally()) {
                    long value = r.join();
                    reply.ok(value);
                    if (request.operations().get(op).kind() == OperationKind.ADD) {
                        added += value;
                    }
                } else {
                    ApiException failure = Failures.toApi(r.handle((ok, error) -> error).join());
                    if (failure.status() >= 500 && failure.status() != 501 && failure.status() != 503 && failure.status() != 507) {
                        LOG.error("channel operation failed: {}", failure.getMessage());
                    }
                    reply.error(failure.status(), String.valueOf(failure.getMessage()));
                }
            }
            metrics.added(added);
            worker.requestFinished();
            socket.write(reply.finish());
        }));
    }

    /** Runs one operation; a count or an erasure on the tenant's partition (421 when it is not open here). */
    private CompletableFuture<Long> run(Operation o) {
        try {
            return o.on(runner);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** What each kind of operation does on this worker. */
    private final class Runner implements Operation.Cases<CompletableFuture<Long>> {
        @Override
        public CompletableFuture<Long> add(Operation.Add add) {
            return ingest.add(add.batch());
        }

        @Override
        public CompletableFuture<Long> count(Operation.Count count) {
            return ingest.owner(count.tenant()).count(count.tenant(), count.window());
        }

        @Override
        public CompletableFuture<Long> erase(Operation.Erase erase) {
            return ingest.owner(erase.tenant()).erase(erase.tenant(), erase.id());
        }

        @Override
        public CompletableFuture<Long> eraseTenant(Operation.EraseTenant eraseTenant) {
            return ingest.owner(eraseTenant.tenant()).eraseTenant(eraseTenant.tenant());
        }
    }
}
