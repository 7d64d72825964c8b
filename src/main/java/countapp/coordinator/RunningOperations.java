package countapp.coordinator;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The long operations of one {@link WorkerChannel} that a results frame left running, each waiting for its
 * DONE frame. Each has a silence timer, restarted by every PROGRESS frame: when it fires, {@code silent}
 * is told the operation's key (the channel fails it, and closes the connection if all of it went silent).
 *
 * <p>Confined to the channel's event loop, like the channel.
 */
final class RunningOperations {
    private record Waiting(Promise<Long> promise, long timer) {}

    private final Vertx vertx;
    private final long silenceMs;
    private final LongConsumer silent;
    private final Map<Long, Waiting> waiting = new HashMap<>();

    RunningOperations(Vertx vertx, long silenceMs, LongConsumer silent) {
        this.vertx = vertx;
        this.silenceMs = silenceMs;
        this.silent = silent;
    }

    /** The key of operation {@code op} of request {@code requestId}. */
    static long key(int requestId, int op) {
        return (long) requestId << 32 | (op & 0xffffffffL);
    }

    void start(long key, Promise<Long> promise) {
        waiting.put(key, new Waiting(promise, timer(key)));
    }

    /** A PROGRESS frame: the operation is alive, its silence timer starts over. */
    void progress(long key) {
        Waiting w = waiting.get(key);
        if (w != null) {
            vertx.cancelTimer(w.timer);
            waiting.put(key, new Waiting(w.promise, timer(key)));
        }
    }

    /** Removes the operation (its DONE frame came, or it went silent); null when it is not waiting. */
    @Nullable Promise<Long> end(long key) {
        Waiting w = waiting.remove(key);
        if (w == null) {
            return null;
        }
        vertx.cancelTimer(w.timer);
        return w.promise;
    }

    /** Removes every waiting operation: the connection is gone. */
    List<Promise<Long>> endAll() {
        List<Promise<Long>> all = new ArrayList<>();
        for (Waiting w : waiting.values()) {
            vertx.cancelTimer(w.timer);
            all.add(w.promise);
        }
        waiting.clear();
        return all;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    private long timer(long key) {
        return vertx.setTimer(silenceMs, t -> silent.accept(key));
    }
}
