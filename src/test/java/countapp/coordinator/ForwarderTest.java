package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.api.ApiException;
import countapp.config.ClusterSecret;
import countapp.config.WorkerEndpoint;
import countapp.metrics.ForwardMetrics;
import countapp.model.ItemBatch;
import countapp.protocol.FrameSplitter;
import countapp.protocol.ReplyWriter;
import countapp.protocol.Request;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator's request path (routing, splitting a batch per owner, retrying until failover_timeout)
 * against two in-process fake workers that speak the real protocol and fail as each test says. The
 * clock is the test's: a deadline is reached when the test moves time, never by waiting for it.
 */
@Timeout(30)
class ForwarderTest {
    private static final ClusterSecret SECRET = ClusterSecret.of("a-test-cluster-secret");
    private static final int PARTITIONS = 16;

    private Vertx vertx;
    private FakeWorker a;
    private FakeWorker b;
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<Routing> routing = new AtomicReference<>();
    private Forwarder forwarder;

    /** A worker that answers each decoded request as the test says, counting frames and items. */
    private final class FakeWorker {
        final AtomicInteger frames = new AtomicInteger();
        final AtomicInteger items = new AtomicInteger();
        volatile BiConsumer<Request, ReplyWriter> answer = this::storeAll;
        final WorkerHandle handle;

        FakeWorker() throws Exception {
            HttpServer server = vertx.createHttpServer().requestHandler(req ->
                    req.toNetSocket().onSuccess(socket -> socket.handler(new FrameSplitter((buf, from, to) -> {
                        Request request = Request.decode(buf, from, to);
                        frames.incrementAndGet();
                        ReplyWriter reply = new ReplyWriter(request.id());
                        answer.accept(request, reply);
                        socket.write(reply.finish());
                    }, problem -> socket.close())))).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int port = server.actualPort();
            handle = new WorkerHandle(new WorkerEndpoint("http://127.0.0.1:" + port, "127.0.0.1", port, true));
            handle.live = true;
        }

        /** Stores every item (each new) and answers counts with 0. */
        void storeAll(Request req, ReplyWriter reply) {
            for (int op = 0; op < req.size(); op++) {
                int added = req.operations().get(op) instanceof countapp.protocol.Operation.Add add ? add.count() : 0;
                items.addAndGet(added);
                reply.ok(added);
            }
        }

        void answerEvery(int status, String message) {
            answer = (req, reply) -> {
                for (int op = 0; op < req.size(); op++) {
                    reply.error(status, message);
                }
            };
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = new FakeWorker();
        b = new FakeWorker();
        routing.set(Routing.of(PARTITIONS, List.of(a.handle, b.handle)));
        forwarder = new Forwarder(vertx, new WorkerClient(vertx, SECRET), new WorkerChannels(vertx, SECRET), routing::get,
                () -> Duration.ofSeconds(1), nanos::get, new ForwardMetrics(new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ItemBatch items(int n) {
        String[] tenants = new String[n];
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = "tenant-" + i;
            ids[i] = "id-" + i;
        }
        return ItemBatch.of(tenants, ids);
    }

    private static <T> T await(Future<T> f) throws Exception {
        CompletableFuture<T> done = f.toCompletionStage().toCompletableFuture();
        return done.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> f) throws Exception {
        try {
            await(f);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void add_batchOverTwoOwners_eachGetsItsPartitionsItemsAndAddedIsSummed() throws Exception {
        long added = await(forwarder.add(items(40)));

        assertThat(added).isEqualTo(40);
        assertThat(a.items.get() + b.items.get()).as("every item sent once").isEqualTo(40);
        assertThat(a.items.get()).isPositive();
        assertThat(b.items.get()).isPositive();
    }

    @Test
    void add_ownerAnswers421_followsTheRoutingChangeToTheNewOwner() throws Exception {
        routing.set(Routing.of(PARTITIONS, List.of(a.handle)));
        a.answer = (req, reply) -> {
            // The partitions moved away: this worker says so, and the coordinator's table changes.
            routing.set(Routing.of(PARTITIONS, List.of(b.handle)));
            for (int op = 0; op < req.size(); op++) {
                reply.error(421, "partition is not open on this worker");
            }
        };

        long added = await(forwarder.add(items(10)));

        assertThat(added).isEqualTo(10);
        assertThat(a.frames.get()).isEqualTo(1);
        assertThat(b.frames.get()).isEqualTo(1);
    }

    @Test
    void count_ownerKeepsAnswering503_503AfterFailoverTimeoutWithBackoffBetweenTries() throws Exception {
        routing.set(Routing.of(PARTITIONS, List.of(a.handle)));
        a.answer = (req, reply) -> {
            nanos.addAndGet(Duration.ofMillis(400).toNanos()); // each try takes 0.4 s of the 1 s timeout
            for (int op = 0; op < req.size(); op++) {
                reply.error(503, "the store is unavailable");
            }
        };

        Throwable e = failure(forwarder.count("t", countapp.model.Window.ALL));

        assertThat(e).isInstanceOfSatisfying(ApiException.class, api -> {
            assertThat(api.status()).isEqualTo(503);
            assertThat(api.getMessage()).contains("failover_timeout (1000 ms)");
        });
        // Tries at 0, 0.4 and 0.8 s; after the third, 1.2 s is past the deadline.
        assertThat(a.frames.get()).isEqualTo(3);
    }

    @Test
    void add_ownerAnswers507_finalAtOnceWithRetryAfter() throws Exception {
        routing.set(Routing.of(PARTITIONS, List.of(a.handle)));
        a.answerEvery(507, "the disk is full");

        Throwable e = failure(forwarder.add(items(3)));

        assertThat(e).isInstanceOfSatisfying(ApiException.class, api -> {
            assertThat(api.status()).isEqualTo(507);
            assertThat(api.retryAfterSeconds()).isPositive();
        });
        assertThat(a.frames.get()).as("a full disk is an answer, not a reason to retry").isEqualTo(1);
    }

    @Test
    void count_ownerNotLive_retriedAndServedOnceItIsLiveAgain() throws Exception {
        routing.set(Routing.of(PARTITIONS, List.of(a.handle)));
        a.handle.live = false;
        a.answer = (req, reply) -> reply.ok(7);
        vertx.setTimer(100, id -> a.handle.live = true);

        assertThat(await(forwarder.count("t", countapp.model.Window.ALL))).isEqualTo(7);
        assertThat(a.frames.get()).isEqualTo(1);
    }
}
