package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.api.ApiException;
import countapp.model.ItemBatch;
import countapp.config.ClusterSecret;
import countapp.config.WorkerEndpoint;
import countapp.protocol.FrameSplitter;
import countapp.protocol.ReplyWriter;
import countapp.protocol.Request;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator's channel against an in-process fake worker that speaks the protocol and answers as each
 * test says: coalescing, per-operation results, and every way a worker can fail to answer.
 */
@Timeout(30)
class WorkerChannelTest {
    private static final ClusterSecret SECRET = ClusterSecret.of("a-test-cluster-secret");

    private Vertx vertx;
    private HttpServer fake;
    private NetClient net;
    private Context context;
    private final AtomicInteger frames = new AtomicInteger();
    /** How the fake worker answers a decoded request; it writes the reply it wants (or none). */
    private volatile BiConsumer<Request, io.vertx.core.net.NetSocket> answer;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        fake = vertx.createHttpServer().requestHandler(req -> {
            if (!SECRET.matches(req.getHeader(ClusterSecret.HEADER))) {
                req.response().setStatusCode(403).end();
                return;
            }
            req.toNetSocket().onSuccess(socket -> socket.handler(new FrameSplitter((b, from, to) -> {
                frames.incrementAndGet();
                answer.accept(Request.decode(b, from, to), socket);
            }, problem -> socket.close())));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        net = vertx.createNetClient();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private WorkerChannel channel(int port, ClusterSecret secret, long timeoutMs) {
        WorkerHandle worker = new WorkerHandle(new WorkerEndpoint("http://127.0.0.1:" + port, "127.0.0.1", port, true));
        return new WorkerChannel(worker, context, net, secret, () -> {}, timeoutMs);
    }

    private WorkerChannel channel() {
        return channel(fake.actualPort(), SECRET, 5_000);
    }

    /** Runs {@code n} operations in one event-loop turn and waits for every future they return. */
    private List<Future<Long>> inOneTurn(java.util.function.IntFunction<Future<Long>> op, int n) throws Exception {
        List<Future<Long>> futures = new ArrayList<>();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        context.runOnContext(v -> {
            for (int i = 0; i < n; i++) {
                futures.add(op.apply(i));
            }
            queued.complete(null);
        });
        queued.get(10, TimeUnit.SECONDS);
        Future.join(new ArrayList<>(futures)).toCompletionStage().toCompletableFuture().handle((r, e) -> null)
                .get(20, TimeUnit.SECONDS);
        return futures;
    }

    private static ItemBatch items(int n) {
        String[] tenants = new String[n];
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = "tenant-" + (i % 3);
            ids[i] = "id-" + i;
        }
        return ItemBatch.of(tenants, ids);
    }

    @Test
    void addsAndCounts_queuedInOneTurn_goAsOneFrameAndEachGetsItsOwnResult() throws Exception {
        answer = (req, socket) -> {
            ReplyWriter reply = new ReplyWriter(req.id());
            for (int op = 0; op < req.size(); op++) {
                // An add answers its item count; a count answers the tenant's length.
                reply.ok(req.operations().get(op) instanceof countapp.protocol.Operation.Add add ? add.count()
                        : ((countapp.protocol.Operation.Count) req.operations().get(op)).tenant().length());
            }
            socket.write(reply.finish());
        };
        WorkerChannel channel = channel();
        ItemBatch batch = items(10);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

        List<Future<Long>> results = inOneTurn(i -> i % 2 == 0 ? channel.add(batch, List.of(new countapp.placement.ItemGroups.Group(0, java.util.Arrays.copyOf(all, i + 1))))
                : channel.count("t".repeat(i + 1), countapp.model.Window.ALL), 8);

        assertThat(frames.get()).as("frames for 8 operations of one turn").isEqualTo(1);
        for (int i = 0; i < 8; i++) {
            assertThat(results.get(i).result()).isEqualTo(i + 1L);
        }
    }

    @Test
    void reply_fewerResultsThanOperations_everyOperationFailsInsteadOfHanging() throws Exception {
        answer = (req, socket) -> socket.write(new ReplyWriter(req.id()).finish()); // no results at all
        WorkerChannel channel = channel();

        List<Future<Long>> results = inOneTurn(i -> channel.count("t" + i, countapp.model.Window.ALL), 5);

        assertThat(results).allSatisfy(f -> assertThat(f.cause()).isInstanceOf(Forwarder.Unavailable.class));
    }

    @Test
    void reply_perOperationStatuses_421RetryableAnd507FinalAnd200Value() throws Exception {
        answer = (req, socket) -> {
            ReplyWriter reply = new ReplyWriter(req.id());
            reply.error(421, "partition 3 is not open on this worker");
            reply.error(507, "partition 4 cannot store writes now: the disk is full");
            reply.ok(7);
            socket.write(reply.finish());
        };
        WorkerChannel channel = channel();

        List<Future<Long>> results = inOneTurn(i -> channel.count("t" + i, countapp.model.Window.ALL), 3);

        assertThat(results.get(0).cause()).isInstanceOf(Forwarder.Unavailable.class).hasMessageContaining("421");
        assertThat(results.get(1).cause()).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(507);
            assertThat(e.retryAfterSeconds()).isPositive();
        });
        assertThat(results.get(2).result()).isEqualTo(7);
    }

    @Test
    void noReply_pastTheTimeout_failsUnavailableAndTheNextOperationReconnects() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        answer = (req, socket) -> {
            if (seen.getAndIncrement() > 0) { // the first frame is never answered
                ReplyWriter reply = new ReplyWriter(req.id());
                reply.ok(1);
                socket.write(reply.finish());
            }
        };
        WorkerChannel channel = channel(fake.actualPort(), SECRET, 300);

        assertThat(inOneTurn(i -> channel.count("t", countapp.model.Window.ALL), 1).get(0).cause()).isInstanceOf(Forwarder.Unavailable.class)
                .hasMessageContaining("did not answer");
        assertThat(inOneTurn(i -> channel.count("t", countapp.model.Window.ALL), 1).get(0).result()).isEqualTo(1);
    }

    @Test
    void workerNotListening_failsUnavailable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        WorkerChannel channel = channel(closedPort, SECRET, 5_000);

        assertThat(inOneTurn(i -> channel.count("t", countapp.model.Window.ALL), 2)).allSatisfy(f ->
                assertThat(f.cause()).isInstanceOf(Forwarder.Unavailable.class).hasMessageContaining("cannot connect"));
    }

    @Test
    void upgradeRefused_wrongSecret_failsUnavailableNamingTheAnswer() throws Exception {
        WorkerChannel channel = channel(fake.actualPort(), ClusterSecret.of("not-the-cluster-secret"), 5_000);

        assertThat(inOneTurn(i -> channel.count("t", countapp.model.Window.ALL), 1).get(0).cause()).isInstanceOf(Forwarder.Unavailable.class)
                .hasMessageContaining("403");
        assertThat(frames.get()).isZero();
    }

    /** Answers counts with 1 at once and leaves each tenant erasure running, as {@code longOps} says. */
    private void answerCountsAndRun(java.util.function.BiConsumer<io.vertx.core.net.NetSocket, int[]> longOps) {
        answer = (req, socket) -> {
            ReplyWriter reply = new ReplyWriter(req.id());
            for (int op = 0; op < req.size(); op++) {
                if (req.operations().get(op) instanceof countapp.protocol.Operation.EraseTenant) {
                    reply.running("erasing");
                    longOps.accept(socket, new int[] {req.id(), op});
                } else {
                    reply.ok(1);
                }
            }
            socket.write(reply.finish());
        };
    }

    @Test
    void issue19_longOperation_withProgress_outlivesTheTimeoutAndNothingElseFails() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        answerCountsAndRun((socket, at) -> {
            connections.incrementAndGet();
            long[] sent = {0};
            vertx.setPeriodic(100, t -> { // progress for 1.5 s, five times the channel's 300 ms limit
                if (++sent[0] < 15) {
                    socket.write(ReplyWriter.progress(at[0], at[1], sent[0] * 1000));
                } else {
                    vertx.cancelTimer(t);
                    socket.write(ReplyWriter.done(at[0], at[1], 123_456));
                }
            });
        });
        WorkerChannel channel = channel(fake.actualPort(), SECRET, 300);
        List<Future<Long>> erasure = new ArrayList<>();
        context.runOnContext(v -> erasure.add(channel.eraseTenant("big", 7)));
        List<Future<Long>> others = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            others.addAll(inOneTurn(i -> channel.count("t" + i, countapp.model.Window.ALL), 3));
            Thread.sleep(100);
        }
        await(erasure);

        assertThat(erasure.get(0).result()).isEqualTo(123_456);
        assertThat(others).allSatisfy(f -> assertThat(f.result()).isEqualTo(1));
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void longOperation_workerSilentOnIt_failsUnavailableOnly() throws Exception {
        answerCountsAndRun((socket, at) -> {}); // never a progress or done frame
        WorkerChannel channel = channel(fake.actualPort(), SECRET, 300);
        List<Future<Long>> erasure = new ArrayList<>();
        context.runOnContext(v -> erasure.add(channel.eraseTenant("big", 7)));
        List<Future<Long>> others = new ArrayList<>();
        for (int round = 0; round < 8; round++) { // the channel itself keeps talking
            others.addAll(inOneTurn(i -> channel.count("t", countapp.model.Window.ALL), 1));
            Thread.sleep(100);
        }
        await(erasure);

        assertThat(erasure.get(0).cause()).isInstanceOf(Forwarder.Unavailable.class).hasMessageContaining("no progress");
        assertThat(others).allSatisfy(f -> assertThat(f.result()).isEqualTo(1));
    }

    private static void await(List<Future<Long>> one) throws Exception {
        for (int i = 0; i < 200 && (one.isEmpty() || !one.get(0).isComplete()); i++) {
            Thread.sleep(50);
        }
        assertThat(one).hasSize(1);
        assertThat(one.get(0).isComplete()).as("completed").isTrue();
    }
}
