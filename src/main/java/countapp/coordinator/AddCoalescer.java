package countapp.coordinator;

import countapp.api.Limits;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends sub-batches to a worker, merging those that wait into one request.
 *
 * <p>Why: a proxied request costs a write and a read system call on the worker connection, and a hop to the
 * worker's event loop and partition writers; with many small client requests those costs, not the items,
 * bound throughput. So each worker gets at most {@link #MAX_IN_FLIGHT} requests in flight per event loop;
 * sub-batches arriving meanwhile queue, and when an answer comes back everything queued goes out as one
 * {@code POST /items?segments=…} whose answer says how many pairs each sub-batch added. An idle worker gets
 * a sub-batch at once, so coalescing adds no latency when there is nothing to merge.
 *
 * <p>Threading: one {@link Lane} per (event-loop thread, worker), touched only by that thread (requests and
 * their answers run on the event loop that sent them), so lanes need no locks. Calls from a thread that is
 * not an event loop bypass the lanes.
 */
final class AddCoalescer {
    static final int MAX_IN_FLIGHT = 2;
    /** Keeps a merged body well inside the worker's limits, whatever they are configured to. */
    private static final int MAX_SEGMENTS = 256;

    private final WorkerClient client;
    private final Supplier<Limits> limits;
    private final ThreadLocal<Map<WorkerHandle, Lane>> lanes = ThreadLocal.withInitial(IdentityHashMap::new);

    AddCoalescer(WorkerClient client, Supplier<Limits> limits) {
        this.client = client;
        this.limits = limits;
    }

    /** What one worker request answered for one sub-batch: its status and, on 200, the pairs it added. */
    record Result(int status, long added, String error) {}

    /** Sends {@code body} ({@code items} items as a JSON array) to {@code owner}, alone or merged with others. */
    Future<Result> send(WorkerHandle owner, byte[] body, int items) {
        if (!Context.isOnEventLoopThread()) {
            return client.postItems(owner, body, null).map(AddCoalescer::single);
        }
        Map<WorkerHandle, Lane> mine = lanes.get();
        Lane lane = mine.computeIfAbsent(owner, Lane::new);
        Pending pending = new Pending(body, items);
        lane.queue.add(pending);
        if (lane.inFlight < MAX_IN_FLIGHT) {
            lane.dispatch(mine);
        }
        return pending.promise.future();
    }

    /** Throws {@link IllegalArgumentException} when a 200 answer has no {@code added} field. */
    private static Result single(WorkerClient.Reply reply) {
        return reply.status() == 200
                ? new Result(200, WorkerClient.longField(reply, "added"), null)
                : new Result(reply.status(), 0, reply.text());
    }

    private record Pending(byte[] body, int items, Promise<Result> promise) {
        Pending(byte[] body, int items) {
            this(body, items, Promise.promise());
        }
    }

    /** The requests to one worker from one event loop. Confined to that event loop's thread. */
    private final class Lane {
        final WorkerHandle owner;
        /** The event loop that owns this lane; answers are handled there. */
        final Context context = Vertx.currentContext();
        final Thread thread = Thread.currentThread();
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        int inFlight;

        Lane(WorkerHandle owner) {
            this.owner = owner;
        }

        /** Sends the head of the queue and whatever else fits with it in one request. */
        void dispatch(Map<WorkerHandle, Lane> mine) {
            Limits l = limits.get();
            int maxParam = l.maxHeaderBytes() / 2 - 64; // the request line must pass the worker's header limit
            List<Pending> merged = new ArrayList<>();
            merged.add(queue.poll());
            long bytes = merged.get(0).body.length + 2L;
            long items = merged.get(0).items;
            StringBuilder segments = new StringBuilder().append(items);
            while (!queue.isEmpty() && merged.size() < MAX_SEGMENTS) {
                Pending next = queue.peek();
                if (bytes + next.body.length > l.maxBodyBytes() || items + next.items > l.maxItems()
                        || segments.length() + 12 > maxParam) {
                    break;
                }
                merged.add(queue.poll());
                segments.append(',').append(next.items);
                bytes += next.body.length;
                items += next.items;
            }
            inFlight++;
            Future<WorkerClient.Reply> reply = merged.size() == 1
                    ? client.postItems(owner, merged.get(0).body, null)
                    : client.postItems(owner, concat(merged, (int) bytes), segments.toString());
            reply.onComplete(ar -> {
                if (Thread.currentThread() != thread) { // keep the lane confined to its event loop
                    context.runOnContext(v -> answered(merged, ar, mine));
                } else {
                    answered(merged, ar, mine);
                }
            });
        }

        private void answered(List<Pending> merged, AsyncResult<WorkerClient.Reply> ar, Map<WorkerHandle, Lane> mine) {
            try {
                complete(merged, ar.succeeded() ? ar.result() : null, ar.cause());
            } catch (RuntimeException e) {
                // An answer without the expected fields: fail every merged request (retried like any
                // failure) rather than leave the clients waiting for an answer that never comes.
                IllegalStateException bad = new IllegalStateException(owner.url() + " sent an unreadable answer: "
                        + e.getMessage(), e);
                merged.forEach(p -> p.promise.tryFail(bad));
            } finally {
                done(mine);
            }
        }

        private void complete(List<Pending> merged, WorkerClient.Reply reply, Throwable failure) {
            if (reply == null) {
                merged.forEach(p -> p.promise.fail(failure));
            } else if (merged.size() == 1) {
                merged.get(0).promise.complete(single(reply));
            } else if (reply.status() != 200) {
                merged.forEach(p -> p.promise.complete(new Result(reply.status(), 0, reply.text())));
            } else {
                long[] added = WorkerClient.longsField(reply, "segments");
                if (added.length != merged.size()) {
                    IllegalStateException e = new IllegalStateException(owner.url() + " answered " + added.length
                            + " segments for " + merged.size());
                    merged.forEach(p -> p.promise.fail(e));
                    return;
                }
                for (int i = 0; i < added.length; i++) {
                    merged.get(i).promise.tryComplete(new Result(200, added[i], null));
                }
            }
        }

        void done(Map<WorkerHandle, Lane> mine) {
            inFlight--;
            while (inFlight < MAX_IN_FLIGHT && !queue.isEmpty()) {
                dispatch(mine);
            }
            if (inFlight == 0 && queue.isEmpty()) {
                mine.remove(owner); // no lane outlives its traffic, so removed workers leave nothing behind
            }
        }
    }

    /** The JSON arrays of {@code merged} as one array: their contents joined with commas. */
    private static byte[] concat(List<Pending> merged, int size) {
        byte[] out = new byte[size];
        int pos = 0;
        out[pos++] = '[';
        for (Pending p : merged) {
            if (pos > 1) {
                out[pos++] = ',';
            }
            int inner = p.body.length - 2; // without the enclosing [ ]
            System.arraycopy(p.body, 1, out, pos, inner);
            pos += inner;
        }
        out[pos++] = ']';
        return pos == size ? out : Arrays.copyOf(out, pos);
    }
}
