package countapp.coordinator;

import countapp.config.ClusterSecret;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The channels of this coordinator: one {@link WorkerChannel} per (event loop, worker), found through a
 * thread-local map, so the request path takes no lock. A caller that is not on an event loop (a test, a
 * start-up task) is served by one fixed event loop's channels.
 */
final class WorkerChannels {
    private final Vertx vertx;
    private final ClusterSecret secret;
    private final NetClient net;
    private final Context fallback;
    private final ThreadLocal<Map<WorkerHandle, WorkerChannel>> mine = ThreadLocal.withInitial(IdentityHashMap::new);

    WorkerChannels(Vertx vertx, ClusterSecret secret) {
        this.vertx = vertx;
        this.secret = secret;
        this.net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(1000)
                .setTcpKeepAlive(true));
        this.fallback = vertx.getOrCreateContext();
    }

    /** Runs {@code use} with the calling event loop's channel to {@code worker}, on that event loop. */
    <T> io.vertx.core.Future<T> on(WorkerHandle worker, java.util.function.Function<WorkerChannel, io.vertx.core.Future<T>> use) {
        if (Context.isOnEventLoopThread() && Vertx.currentContext() != null) {
            return use.apply(channel(worker, Vertx.currentContext()));
        }
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        fallback.runOnContext(v -> use.apply(channel(worker, fallback)).onComplete(promise));
        return promise.future();
    }

    private WorkerChannel channel(WorkerHandle worker, Context context) {
        Map<WorkerHandle, WorkerChannel> channels = mine.get();
        WorkerChannel c = channels.get(worker);
        if (c == null) {
            WorkerChannel[] created = new WorkerChannel[1];
            created[0] = new WorkerChannel(worker, context, net, secret, () -> channels.remove(worker, created[0]));
            channels.put(worker, created[0]);
            c = created[0];
        }
        return c;
    }

    Vertx vertx() {
        return vertx;
    }
}
