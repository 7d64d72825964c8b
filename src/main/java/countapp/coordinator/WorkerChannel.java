package countapp.coordinator;

import countapp.api.ApiException;
import countapp.model.ItemBatch;
import countapp.codec.ByteSource;
import countapp.config.ClusterSecret;
import countapp.model.Window;
import countapp.protocol.Channel;
import countapp.protocol.Operation;
import countapp.protocol.FrameSplitter;
import countapp.protocol.Reply;
import countapp.protocol.WorkerFrame;
import countapp.protocol.RequestWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's channel to one worker from one event loop (see {@link Channel}): one persistent
 * connection carrying the adds and counts of every client request served on this event loop.
 *
 * <p>Coalescing: an operation is queued, and a flush is scheduled to run once the event loop has handled
 * what it read in this turn; the flush sends everything queued as one frame, while at most
 * {@link #MAX_IN_FLIGHT} frames await their replies. So a burst of client requests costs the worker one
 * read, one frame to decode and one reply, and an idle channel adds no wait at all.
 *
 * <p>Failures: a connection that cannot be made, breaks, or leaves a frame unanswered for
 * {@link #TIMEOUT_MS} fails the operations concerned with {@link Forwarder.Unavailable}; the forwarder
 * retries them (adds are idempotent), and the next operation opens a new connection.
 *
 * <p>Long operations (a tenant erasure, see {@link RunningOperations}) wait for their DONE frame with no
 * fixed limit while PROGRESS frames come; one unheard of for {@link #TIMEOUT_MS} fails (its re-send joins
 * the worker's erasure), and the connection is torn down only if the whole channel was silent that long.
 *
 * <p>Confined to its event loop: every field is touched on {@link #context} only.
 */
final class WorkerChannel {
    static final int MAX_IN_FLIGHT = 1;
    static final int MAX_FRAME_BYTES = 4 << 20;
    static final long TIMEOUT_MS = 5_000;
    private static final long HANDSHAKE_TIMEOUT_MS = 2_000;

    private final WorkerHandle worker;
    private final Context context;
    private final NetClient net;
    private final ClusterSecret secret;
    private final Runnable onIdle;
    private final long timeoutMs;
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private final Map<Integer, Sent> inFlight = new HashMap<>();
    private final RunningOperations running;
    private final FrameHandler frameHandler = new FrameHandler();
    private long lastHeardNanos; // when the worker last sent any frame
    private final RequestWriter writer = new RequestWriter();
    private NetSocket socket;
    private boolean connecting;
    private boolean flushScheduled;
    private int nextId;

    /** A queued operation and its promise. */
    private record Op(Operation operation, Promise<Long> promise) {}

    private record Sent(List<Op> ops, long timer) {}

    WorkerChannel(WorkerHandle worker, Context context, NetClient net, ClusterSecret secret, Runnable onIdle) {
        this(worker, context, net, secret, onIdle, TIMEOUT_MS);
    }

    WorkerChannel(WorkerHandle worker, Context context, NetClient net, ClusterSecret secret, Runnable onIdle,
            long timeoutMs) {
        this.timeoutMs = timeoutMs;
        this.worker = worker;
        this.context = context;
        this.net = net;
        this.secret = secret;
        this.onIdle = onIdle;
        this.running = new RunningOperations(context.owner(), timeoutMs, this::wentSilent);
    }

    /** Adds {@code batch}'s items of {@code groups}; completes with the pairs that were new. */
    Future<Long> add(ItemBatch batch, java.util.List<countapp.placement.ItemGroups.Group> groups) {
        return enqueue(new Op(new Operation.Add(batch, groups), Promise.promise()));
    }

    Future<Long> count(String tenant, Window window) {
        return enqueue(new Op(new Operation.Count(tenant, window), Promise.promise()));
    }

    /** Erases one pair; completes with 1 when it was stored, else 0. */
    Future<Long> erase(String tenant, String id) {
        return enqueue(new Op(new Operation.Erase(tenant, id), Promise.promise()));
    }

    /** Erases a tenant (a long operation); completes with the pairs it had. One token for every re-send. */
    Future<Long> eraseTenant(String tenant, long token) {
        return enqueue(new Op(new Operation.EraseTenant(tenant, token), Promise.promise()));
    }

    boolean idle() {
        return queue.isEmpty() && inFlight.isEmpty() && running.isEmpty() && !connecting;
    }

    private Future<Long> enqueue(Op op) {
        queue.add(op);
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                flush();
            });
        }
        return op.promise.future();
    }

    private void flush() {
        if (queue.isEmpty()) {
            return;
        }
        if (socket == null) {
            connect();
            return;
        }
        while (!queue.isEmpty() && inFlight.size() < MAX_IN_FLIGHT) {
            send();
        }
    }

    private void send() {
        int id = nextId++;
        writer.begin(id);
        List<Op> ops = new ArrayList<>();
        while (!queue.isEmpty() && (ops.isEmpty() || writer.size() < MAX_FRAME_BYTES)) {
            Op op = queue.poll();
            writer.write(op.operation);
            ops.add(op);
        }
        long timer = context.owner().setTimer(timeoutMs, t -> timedOut(id));
        inFlight.put(id, new Sent(ops, timer));
        socket.write(writer.finish());
    }

    private void onFrame(byte[] b, int from, int to) {
        WorkerFrame frame;
        try {
            frame = Reply.decode(b, from, to);
        } catch (ByteSource.MalformedException e) {
            broken("malformed reply: " + e.getMessage());
            return;
        }
        lastHeardNanos = System.nanoTime();
        frame.on(frameHandler);
        flush();
        idleCheck();
    }

    /** What each kind of worker frame does to the operations it answers. */
    private final class FrameHandler implements WorkerFrame.Cases<Boolean> {
        @Override
        public Boolean results(Reply reply) {
            Sent sent = inFlight.remove(reply.id());
            if (sent == null) {
                return false; // answered after it timed out: its operations were failed (and retried) already
            }
            context.owner().cancelTimer(sent.timer);
            if (reply.results() != sent.ops.size()) {
                fail(sent.ops, unavailable("answered " + reply.results() + " results for " + sent.ops.size() + " operations"));
                broken("reply does not match its request");
                return false;
            }
            for (int i = 0; i < reply.results(); i++) {
                Op op = sent.ops.get(i);
                int status = reply.statuses()[i];
                if (status == 200) {
                    op.promise.tryComplete(reply.values()[i]);
                } else if (status == Channel.RUNNING) {
                    running.start(RunningOperations.key(reply.id(), i), op.promise);
                } else {
                    op.promise.tryFail(failure(status, reply.messages()[i]));
                }
            }
            return true;
        }

        @Override
        public Boolean progress(WorkerFrame.Progress progress) {
            running.progress(RunningOperations.key(progress.requestId(), progress.op()));
            return true;
        }

        @Override
        public Boolean done(WorkerFrame.Done done) {
            Promise<Long> promise = running.end(RunningOperations.key(done.requestId(), done.op()));
            if (promise != null && done.status() == 200) {
                promise.tryComplete(done.value());
            } else if (promise != null) {
                promise.tryFail(failure(done.status(), String.valueOf(done.message())));
            }
            return promise != null;
        }
    }

    /** Fails a long operation the worker stopped reporting on; tears down the channel only if it went silent. */
    private void wentSilent(long key) {
        Promise<Long> promise = running.end(key);
        if (promise == null) {
            return;
        }
        promise.tryFail(unavailable("reported no progress on a long operation for " + timeoutMs + " ms"));
        if (System.nanoTime() - lastHeardNanos >= timeoutMs * 1_000_000) {
            broken("the channel went silent");
        }
        idleCheck();
    }

    /** 421 (not the owner) and 503 (unavailable) are transient: retried. Anything else is the client's answer. */
    private Throwable failure(int status, String message) {
        if (status == 421 || status == 503) {
            return unavailable("answered " + status + ": " + message);
        }
        return new ApiException(status, message, Map.of(), status == 507 ? countapp.http.Admission.RETRY_AFTER_SECONDS : 0);
    }

    private Forwarder.Unavailable unavailable(String why) {
        return new Forwarder.Unavailable("worker " + worker.url() + " " + why);
    }

    private void timedOut(int id) {
        Sent sent = inFlight.remove(id);
        if (sent != null) {
            fail(sent.ops, unavailable("did not answer within " + timeoutMs + " ms"));
            broken("a frame went unanswered"); // the connection is suspect: start afresh
        }
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        net.connect(worker.endpoint.port(), worker.endpoint.host()).onComplete(ar -> {
            if (ar.failed()) {
                connected(null, "cannot connect: " + ar.cause().getMessage());
                return;
            }
            handshake(ar.result());
        });
    }

    /** The HTTP/1.1 upgrade: a GET with the cluster secret, answered 101 before the first frame. */
    private void handshake(NetSocket s) {
        String request = "GET " + Channel.PATH + " HTTP/1.1\r\nHost: " + worker.endpoint.host() + "\r\n"
                + "Connection: Upgrade\r\nUpgrade: " + Channel.UPGRADE + "\r\n"
                + ClusterSecret.HEADER + ": " + secret.value() + "\r\n\r\n";
        UpgradeAnswer answer = new UpgradeAnswer();
        long timer = context.owner().setTimer(HANDSHAKE_TIMEOUT_MS, t -> {
            s.close();
            connected(null, "no upgrade answer within " + HANDSHAKE_TIMEOUT_MS + " ms");
        });
        FrameSplitter frames = new FrameSplitter(this::onFrame, this::broken);
        s.handler(chunk -> {
            if (!connecting) {
                frames.handle(chunk);
            } else if (answer.feed(chunk)) {
                context.owner().cancelTimer(timer);
                String problem = answer.problem();
                if (problem != null) {
                    s.close();
                    connected(null, problem);
                    return;
                }
                connected(s, null);
                Buffer rest = answer.rest();
                if (rest != null) {
                    frames.handle(rest);
                }
            }
        });
        s.closeHandler(v -> {
            if (socket == s) {
                socket = null;
                failInFlight("closed the channel");
            }
        });
        s.exceptionHandler(e -> s.close());
        s.write(request);
    }

    private void connected(NetSocket s, String problem) {
        if (!connecting) {
            return;
        }
        connecting = false;
        socket = s;
        if (s == null) {
            List<Op> waiting = new ArrayList<>(queue);
            queue.clear();
            fail(waiting, unavailable(problem));
            idleCheck();
        } else {
            flush();
        }
    }

    private void broken(String why) {
        NetSocket s = socket;
        socket = null;
        failInFlight(why);
        if (s != null) {
            s.close();
        }
    }

    private void failInFlight(String why) {
        List<Op> lost = new ArrayList<>();
        for (Sent sent : inFlight.values()) {
            context.owner().cancelTimer(sent.timer);
            lost.addAll(sent.ops);
        }
        inFlight.clear();
        fail(lost, unavailable(why));
        for (Promise<Long> promise : running.endAll()) {
            promise.tryFail(unavailable(why));
        }
        if (!queue.isEmpty()) {
            flush(); // reconnects for what still waits
        }
        idleCheck();
    }

    private static void fail(List<Op> ops, Throwable error) {
        for (Op op : ops) {
            op.promise.tryFail(error);
        }
    }

    private void idleCheck() {
        if (idle() && socket == null) {
            onIdle.run(); // a closed, unused channel is forgotten, so removed workers leave nothing behind
        }
    }
}
