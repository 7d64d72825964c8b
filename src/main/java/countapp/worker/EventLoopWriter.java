package countapp.worker;

import countapp.store.log.WriteLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The worker's event loop as the writer of every partition: adds decoded from a channel frame run on the
 * thread that read it, and tasks from other threads (an HTTP handler on a worker thread, a close) are
 * queued to it.
 */
final class EventLoopWriter implements WriteLoop {
    private final Context context;
    private final Thread thread;

    EventLoopWriter(Vertx vertx) {
        this.context = vertx.getOrCreateContext();
        CompletableFuture<Thread> t = new CompletableFuture<>();
        context.runOnContext(v -> t.complete(Thread.currentThread()));
        try {
            this.thread = t.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the event loop", e);
        } catch (Exception e) {
            throw new IllegalStateException("the event loop did not start", e);
        }
    }

    /** The Netty loop under the context, which the Redis backend's connections share (no thread hand-off). */
    io.netty.channel.EventLoop nettyLoop() {
        return ((io.vertx.core.internal.ContextInternal) context).nettyEventLoop();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }
}
