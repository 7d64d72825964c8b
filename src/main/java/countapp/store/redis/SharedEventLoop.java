package countapp.store.redis;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's connections on an event loop the store does not own: the worker's own. An add decoded from a
 * channel frame then encodes and writes its Redis commands on the thread that read the frame, and Redis'
 * replies complete the add (and write its answer) on that same thread. With Lettuce's own I/O threads each
 * request crossed threads twice (hand the commands over, hand the reply back), and under load those
 * hand-offs, wake-ups and context switches cost the worker more than the Redis commands themselves.
 * Releasing or shutting down does nothing: the loop's owner stops it.
 */
final class SharedEventLoop implements EventLoopGroupProvider {
    private final EventLoopGroup loop;

    SharedEventLoop(EventLoopGroup loop) {
        this.loop = loop;
    }

    @Override
    @SuppressWarnings("unchecked") // Lettuce asks for its transport's group class; any group of the same transport serves
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        return (T) loop;
    }

    @Override
    public int threadPoolSize() {
        int n = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : loop) {
            n++;
        }
        return n;
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup eventLoopGroup, long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
}
