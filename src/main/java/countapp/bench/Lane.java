package countapp.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One event loop's share of the load: its own HTTP client (a pool of keep-alive connections bound to this
 * event loop) and its own record of the items it sent and got acknowledged. Every field is touched only on
 * the lane's context, so nothing here needs a lock.
 */
final class Lane {
    /** One stage of a run (seeding, or the measured load). */
    record Phase(boolean post, int batch, int concurrency, double rate, long start, long warmupEnd, long deadline,
                 long itemLimit, boolean measure) {}


    private final int index;
    private final int laneCount;
    private final Context context;
    private final HttpClientAgent client;
    private final Target target;
    private final Workload work;
    private final Stats stats;
    private final SplittableRandom random;
    private final Workload.Scratch scratch = new Workload.Scratch();
    /** Whether a refusal (503 with Retry-After: the server sheds load) is an expected answer, not an error. */
    private final boolean allowRefused;
    private final RequestOptions postOptions;
    /** Fresh and duplicate items this lane put in any request, and those in requests answered 200. */
    final BitSet sent = new BitSet();
    final BitSet acked = new BitSet();

    private Phase phase;
    private Promise<Void> phaseDone;
    private int outstanding;
    private int activeLoops;
    private long timerId = -1;
    private long countCursor;

    Lane(int index, int laneCount, Vertx vertx, Target target, int connections, Workload work, Stats stats, long seed,
            boolean allowRefused) {
        this.allowRefused = allowRefused;
        this.index = index;
        this.laneCount = laneCount;
        this.context = vertx.getOrCreateContext();
        this.target = target;
        this.work = work;
        this.stats = stats;
        this.random = new SplittableRandom(seed);
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setPipelining(false)
                        .setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(Math.max(1, connections)).setMaxWaitQueueSize(-1));
        this.postOptions = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host()).setPort(target.port())
                .setURI(target.path("/items"))
                .setIdleTimeout(target.timeoutMs())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }

    /** Runs a phase on this lane; completes when its last request has been answered (or failed). */
    Future<Void> run(Phase p) {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            phase = p;
            phaseDone = promise;
            if (p.rate() > 0) {
                openConnections(p.concurrency()).onComplete(ar -> {
                    if (ar.failed()) {
                        stats.error("open loop: cannot connect: " + ar.cause().getMessage());
                        promise.tryComplete();
                        return;
                    }
                    timerId = context.owner().setPeriodic(1, 1, id -> openLoopTick());
                });
            } else {
                activeLoops = p.concurrency();
                if (activeLoops == 0) {
                    promise.tryComplete();
                }
                for (int i = 0; i < p.concurrency(); i++) {
                    closedLoopNext();
                }
            }
        });
        return promise.future();
    }

    private boolean phaseOver(long now) {
        return now >= phase.deadline() || (phase.post() && phase.itemLimit() > 0 && work.allocated() >= phase.itemLimit());
    }

    private void closedLoopNext() {
        long now = System.nanoTime();
        if (phaseOver(now)) {
            activeLoops--;
            maybeFinished();
            return;
        }
        send(now, true);
    }

    /**
     * One connection of the open loop with its own schedule, as wrk2 does: request j of connection c is due
     * at {@code start + (j * connections + c) / rate}; it is sent when due or, if the connection is still
     * waiting for the previous answer, as soon as that arrives, and its latency counts from when it was
     * due. So a slow server shows as latency (no coordinated omission) and nothing queues in a client pool.
     */
    private static final class Scheduled {
        final HttpClientConnection connection;
        final int slot;
        long sent;
        boolean busy;

        Scheduled(HttpClientConnection connection, int slot) {
            this.connection = connection;
            this.slot = slot;
        }

        long due(Phase p, int total) {
            return p.start() + (long) ((sent * (double) total + slot) * 1e9 / p.rate());
        }
    }

    private final List<Scheduled> scheduled = new ArrayList<>();

    private Future<Void> openConnections(int n) {
        List<Future<HttpClientConnection>> opening = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opening.add(client.connect(new HttpConnectOptions().setHost(target.host()).setPort(target.port())));
        }
        return Future.all(opening).map(all -> {
            scheduled.clear();
            for (int i = 0; i < n; i++) {
                // Slots interleave the lanes: connection i of lane `index` is global slot i * laneCount + index.
                scheduled.add(new Scheduled(opening.get(i).result(), i * laneCount + index));
            }
            return null;
        });
    }

    /** Open loop: every idle connection whose next request is due sends it. */
    private void openLoopTick() {
        long now = System.nanoTime();
        int total = scheduled.size() * laneCount;
        boolean more = false;
        for (Scheduled c : scheduled) {
            long due = c.due(phase, total);
            if (due < phase.deadline() && !phaseOver(due)) {
                more = true;
                if (!c.busy && due <= now) {
                    sendScheduled(c, due);
                }
            }
        }
        if (!more) {
            context.owner().cancelTimer(timerId);
            timerId = -1;
            maybeFinished();
        }
    }

    private void sendScheduled(Scheduled c, long due) {
        c.busy = true;
        c.sent++;
        send(c.connection, due, false, () -> {
            c.busy = false;
            long next = c.due(phase, scheduled.size() * laneCount);
            if (timerId >= 0 && next <= System.nanoTime() && next < phase.deadline() && !phaseOver(next)) {
                sendScheduled(c, next); // late: the next one goes out at once, its latency counted from when it was due
            }
        });
    }

    private void maybeFinished() {
        boolean sending = phase.rate() > 0 ? timerId >= 0 : activeLoops > 0;
        if (!sending && outstanding == 0) {
            for (Scheduled c : scheduled) {
                c.connection.close();
            }
            scheduled.clear();
            phaseDone.tryComplete();
        }
    }

    /** Sends one request; latency counts from {@code intended} (the send time, or the open-loop schedule). */
    private void send(long intended, boolean closedLoop) {
        send(client, intended, closedLoop, null);
    }

    private void send(io.vertx.core.http.HttpClient via, long intended, boolean closedLoop, Runnable then) {
        Phase p = phase;
        long sentAt = System.nanoTime();
        outstanding++;
        long[] seqs;
        Future<io.vertx.core.http.HttpClientResponse> response;
        if (p.post()) {
            seqs = work.nextItems(random, p.batch());
            for (long s : seqs) {
                sent.set((int) s);
            }
            Buffer body = Buffer.buffer(work.body(seqs, scratch));
            response = via.request(postOptions).compose(req -> req.send(body));
        } else {
            seqs = null;
            int tenant = (int) ((countCursor++ * laneCount + index) % work.tenants());
            response = via.request(countOptions(work.tenant(tenant))).compose(req -> req.send());
        }
        response.compose(resp -> resp.body().map(b -> {
            if (resp.statusCode() == 503 && allowRefused && resp.getHeader(HttpHeaders.RETRY_AFTER) != null) {
                return null; // shed by the server: nothing was stored, nothing to check
            }
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + b.toString(StandardCharsets.UTF_8));
            }
            return b;
        })).onComplete(ar -> {
            long now = System.nanoTime();
            outstanding--;
            int items = seqs == null ? 1 : seqs.length;
            stats.completed.increment();
            stats.completedItems.add(items);
            if (ar.succeeded() && ar.result() == null) {
                stats.refused(now - sentAt); // how fast the server refused, not how late the schedule was
            } else if (ar.succeeded()) {
                if (seqs != null) {
                    for (long s : seqs) {
                        acked.set((int) s);
                    }
                    stats.added.add(longField(ar.result(), "\"added\":"));
                }
                if (p.measure() && intended >= p.warmupEnd() && intended < p.deadline()) {
                    stats.requests.increment();
                    stats.items.add(items);
                    stats.recordLatency(now - intended);
                }
            } else {
                stats.error((p.post() ? "POST /items: " : "GET count: ") + ar.cause().getMessage());
            }
            if (closedLoop) {
                closedLoopNext();
            } else {
                if (then != null) {
                    then.run();
                }
                maybeFinished();
            }
        });
    }

    private RequestOptions countOptions(String tenant) {
        return new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                .setURI(target.path("/items/" + tenant + "/count"))
                .setIdleTimeout(target.timeoutMs());
    }

    /** Reads a tenant's count, retrying transient failures a few times. */
    Future<Long> readCount(String tenant) {
        Promise<Long> promise = Promise.promise();
        context.runOnContext(v -> readCount(tenant, 3, promise));
        return promise.future();
    }

    private void readCount(String tenant, int attemptsLeft, Promise<Long> promise) {
        client.request(countOptions(tenant)).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + b.toString(StandardCharsets.UTF_8));
                    }
                    return longField(b, "\"count\":");
                }))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        promise.complete(ar.result());
                    } else if (attemptsLeft > 1) {
                        context.owner().setTimer(200, id -> readCount(tenant, attemptsLeft - 1, promise));
                    } else {
                        promise.fail(ar.cause());
                    }
                });
    }

    /** The non-negative integer after {@code key} in a small JSON answer. */
    static long longField(Buffer body, String key) {
        String text = body.toString(StandardCharsets.UTF_8);
        int at = text.indexOf(key);
        if (at < 0) {
            throw new IllegalStateException("no " + key + " in " + text);
        }
        long v = 0;
        int i = at + key.length();
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        for (; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            v = v * 10 + (text.charAt(i) - '0');
        }
        if (i == start) {
            throw new IllegalStateException("no number after " + key + " in " + text);
        }
        return v;
    }

    Future<Void> close() {
        return client.close();
    }

    /** Where the load goes: host, port, base path, per-request timeout. */
    record Target(String host, int port, String basePath, long timeoutMs) {
        String path(String p) {
            return basePath + p;
        }
    }
}
