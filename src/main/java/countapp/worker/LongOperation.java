package countapp.worker;

import countapp.api.ApiException;
import countapp.protocol.Channel;
import countapp.protocol.ReplyWriter;
import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Reports one long operation of a request frame on the channel: a PROGRESS frame every
 * {@link Channel#PROGRESS_MS} while it runs (so the coordinator knows the worker is not silent), then one
 * DONE frame with its result. Stops reporting when the connection closes; the operation itself goes on
 * (a re-send joins it, see {@link TenantErasures}).
 *
 * <p>Threads: every frame is written on the connection's event loop.
 */
final class LongOperation {
    /** One channel connection: its socket, its event loop, and whether it closed (event loop only). */
    static final class Connection {
        private final NetSocket socket;
        private final Context context;
        private boolean closed;

        Connection(NetSocket socket, Context context) {
            this.socket = socket;
            this.context = context;
        }

        NetSocket socket() {
            return socket;
        }

        Context context() {
            return context;
        }

        void close() {
            closed = true;
        }
    }

    private final Connection connection;
    private final int requestId;
    private final int op;
    private final LongSupplier progress;
    private final CompletableFuture<Long> result;

    LongOperation(Connection connection, int requestId, int op, LongSupplier progress, CompletableFuture<Long> result) {
        this.connection = connection;
        this.requestId = requestId;
        this.op = op;
        this.progress = progress;
        this.result = result;
    }

    /** Starts reporting; call on the connection's event loop. */
    void start() {
        long timer = connection.context.owner().setPeriodic(Channel.PROGRESS_MS, Channel.PROGRESS_MS, id -> {
            if (!connection.closed && !result.isDone()) {
                connection.socket.write(ReplyWriter.progress(requestId, op, progress.getAsLong()));
            }
        });
        result.whenComplete((v, e) -> connection.context.runOnContext(x -> {
            connection.context.owner().cancelTimer(timer);
            if (connection.closed) {
                return;
            }
            if (e == null) {
                connection.socket.write(ReplyWriter.done(requestId, op, v));
            } else {
                ApiException failure = ChannelEndpoint.failure(result);
                connection.socket.write(ReplyWriter.failed(requestId, op, failure.status(),
                        String.valueOf(failure.getMessage())));
            }
        }));
    }
}
