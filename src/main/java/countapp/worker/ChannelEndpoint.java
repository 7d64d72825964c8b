package countapp.worker;

import countapp.api.ApiException;
import countapp.codec.ByteSource;
import countapp.http.Failures;
import countapp.metrics.ChannelMetrics;
import countapp.metrics.IngestMetrics;
import countapp.protocol.Channel;
import countapp.protocol.FrameSplitter;
import countapp.protocol.Operation;
import countapp.protocol.ReplyWriter;
import countapp.protocol.Request;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end of the coordinator's channel (see {@link countapp.protocol.Channel}): turns an upgraded
 * {@code GET /channel} connection into a stream of request frames, runs each frame's operations against
 * the partitions, and writes one results frame per request when all of its short operations are done. A
 * tenant erasure is long: its result says {@link Channel#RUNNING}, and a {@link LongOperation} reports
 * its progress and its end in frames of their own, so it holds up neither its frame nor the channel.
 *
 * <p>Threads: decoding and replies run on the connection's event loop; adds complete on the store's
 * writers and hop back to that event loop once per frame, not once per operation.
 */
final class ChannelEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelEndpoint.class);

    /** What the endpoint tells its worker and asks of it. */
    record Activity(java.util.function.BooleanSupplier stopping, Runnable requestStarted, Runnable requestFinished) {}

    private final Activity activity;
    private final Ingest ingest;
    private final TenantErasures erasures;
    private final IngestMetrics metrics;
    private final ChannelMetrics frames;
    private final Runner runner = new Runner();

    ChannelEndpoint(Activity activity, Ingest ingest, TenantErasures erasures, IngestMetrics metrics,
            ChannelMetrics frames) {
        this.activity = activity;
        this.ingest = ingest;
        this.erasures = erasures;
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
            serve(ar.result(), Vertx.currentContext());
        });
    }

    /** Serves the frames of an upgraded connection, on {@code context}. */
    void serve(NetSocket socket, Context context) {
        LongOperation.Connection connection = new LongOperation.Connection(socket, context);
        socket.closeHandler(v -> connection.close());
        socket.handler(new FrameSplitter((b, from, to) -> serve(connection, b, from, to), problem -> {
            LOG.warn("closing the channel from {}: {}", socket.remoteAddress(), problem);
            socket.close();
        }));
    }

    /** One operation's outcome: a result to wait for, or a long operation that answers by itself later. */
    private record Outcome(CompletableFuture<Long> result, TenantErasures.@Nullable Erasure running) {
        static Outcome of(CompletableFuture<Long> result) {
            return new Outcome(result, null);
        }
    }

    private void serve(LongOperation.Connection connection, byte[] b, int from, int to) {
        Request request;
        try {
            request = Request.decode(b, from, to);
        } catch (ByteSource.MalformedException e) {
            // Nothing of the frame runs: a frame we cannot read whole may say anything.
            LOG.warn("closing the channel from {}: malformed frame: {}", connection.socket().remoteAddress(), e.getMessage());
            connection.socket().close();
            return;
        }
        int n = request.size();
        frames.frame(n);
        Outcome[] outcomes = new Outcome[n];
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Long>[] results = new CompletableFuture[n];
        activity.requestStarted().run();
        long items = 0;
        for (int op = 0; op < n; op++) {
            Operation o = request.operations().get(op);
            if (o instanceof Operation.Add add) {
                items += add.count();
            }
            outcomes[op] = activity.stopping().getAsBoolean()
                    ? Outcome.of(CompletableFuture.failedFuture(new ApiException(503, "worker is stopping")))
                    : run(o);
            results[op] = outcomes[op].running() == null ? outcomes[op].result() : CompletableFuture.completedFuture(0L);
        }
        metrics.received((int) items);
        CompletableFuture.allOf(results).whenComplete((v, e) -> connection.context().runOnContext(x -> {
            ReplyWriter reply = new ReplyWriter(request.id());
            long added = 0;
            for (int op = 0; op < n; op++) {
                TenantErasures.Erasure running = outcomes[op].running();
                CompletableFuture<Long> r = results[op];
                if (running != null) {
                    reply.running("erasing");
                } else if (!r.isCompletedExceptionally()) {
                    long value = r.join();
                    reply.ok(value);
                    added += request.operations().get(op) instanceof Operation.Add ? value : 0;
                } else {
                    ApiException failure = failure(r);
                    reply.error(failure.status(), String.valueOf(failure.getMessage()));
                }
            }
            metrics.added(added);
            activity.requestFinished().run();
            connection.socket().write(reply.finish());
            for (int op = 0; op < n; op++) {
                TenantErasures.Erasure running = outcomes[op].running();
                if (running != null) {
                    new LongOperation(connection, request.id(), op, running::erasedSoFar, running.result()).start();
                }
            }
        }));
    }

    /** The answer for a failed operation; unexpected server errors are logged. */
    static ApiException failure(CompletableFuture<Long> failed) {
        ApiException failure = Failures.toApi(failed.handle((ok, error) -> error).join());
        if (failure.status() >= 500 && failure.status() != 501 && failure.status() != 503 && failure.status() != 507) {
            LOG.error("channel operation failed: {}", failure.getMessage());
        }
        return failure;
    }

    /** Runs one operation; a count or an erasure on the tenant's partition (421 when it is not open here). */
    private Outcome run(Operation o) {
        try {
            return o.on(runner);
        } catch (RuntimeException e) {
            return Outcome.of(CompletableFuture.failedFuture(e));
        }
    }

    /** What each kind of operation does on this worker. */
    private final class Runner implements Operation.Cases<Outcome> {
        @Override
        public Outcome add(Operation.Add add) {
            return Outcome.of(ingest.add(add.batch(), add.groups()));
        }

        @Override
        public Outcome count(Operation.Count count) {
            return Outcome.of(ingest.owner(count.tenant()).count(count.tenant(), count.window()));
        }

        @Override
        public Outcome erase(Operation.Erase erase) {
            return Outcome.of(ingest.owner(erase.tenant()).erase(erase.tenant(), erase.id()));
        }

        @Override
        public Outcome eraseTenant(Operation.EraseTenant erase) {
            TenantErasures.Erasure running = erasures.start(ingest.owner(erase.tenant()), erase.tenant(), erase.token());
            return new Outcome(running.result(), running);
        }
    }
}
