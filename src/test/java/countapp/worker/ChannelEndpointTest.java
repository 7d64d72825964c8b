package countapp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.metrics.ChannelMetrics;
import countapp.metrics.IngestMetrics;
import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.placement.Partitioner;
import countapp.protocol.Channel;
import countapp.protocol.Operation;
import countapp.protocol.OperationKind;
import countapp.protocol.Reply;
import countapp.protocol.RequestWriter;
import countapp.protocol.WorkerFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's end of the channel, spoken to byte for byte over a real connection, over partitions of a
 * deterministic in-memory store: results per operation, fail-closed decoding, long tenant erasures.
 */
@Timeout(60)
class ChannelEndpointTest {
    private static final int PARTITIONS = 4;

    private Vertx vertx;
    private MemoryStore store;
    private PartitionTable table;
    private HttpServer server;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        store = new MemoryStore(PARTITIONS);
        table = new PartitionTable(store, PARTITIONS, Duration.ofMillis(200));
        table.assign(Set.of(0, 1, 2, 3)).get(10, TimeUnit.SECONDS);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChannelEndpoint endpoint = new ChannelEndpoint(
                new ChannelEndpoint.Activity(stopping::get, inFlight::incrementAndGet, inFlight::decrementAndGet),
                new Ingest(table), new TenantErasures(System::nanoTime), new IngestMetrics(registry),
                new ChannelMetrics(registry));
        server = vertx.createHttpServer().requestHandler(endpoint::accept).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        store.eraseGate.complete(null);
        table.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ChannelClient client() throws Exception {
        return ChannelClient.connect(vertx, server.actualPort());
    }

    private static Operation.Add add(String tenant, String... ids) {
        String[] tenants = new String[ids.length];
        java.util.Arrays.fill(tenants, tenant);
        return Operation.add(ItemBatch.of(tenants, ids), new Partitioner(PARTITIONS));
    }

    private MemoryStore.MemoryPartition partitionOf(String tenant) {
        return java.util.Objects.requireNonNull(store.open.get(new Partitioner(PARTITIONS).partitionOf(tenant)));
    }

    @Test
    void frame_everyShortOperation_answeredInOrderFromTheStore() throws Exception {
        ChannelClient c = client();
        c.send(add("acme", "a", "b", "a"));

        c.send(Operation.count("acme", Window.ALL), add("acme", "b", "c"), Operation.erase("acme", "a"),
                Operation.erase("acme", "zz"), Operation.count("acme", Window.ALL));

        assertThat(c.nextResults().values()).containsExactly(2);
        Reply r = c.nextResults();
        assertThat(r.statuses()).containsExactly(200, 200, 200, 200, 200);
        assertThat(r.values()).containsExactly(2, 1, 1, 0, 2);
        assertThat(inFlight.get()).isZero();
    }

    @Test
    void issue19_unknownOperationCode_frameRefusedAndNothingChanges() throws Exception {
        ChannelClient c = client();
        RequestWriter w = new RequestWriter();
        w.begin(1);
        w.write(add("acme", "x"));
        w.write(Operation.eraseTenant("victim", 0));
        byte[] frame = w.finish().getBytes();
        int eraseAt = frame.length - 1 - 1 - "victim".length() - 1;
        assertThat(frame[eraseAt]).isEqualTo(OperationKind.ERASE_TENANT.code());
        frame[eraseAt] = 9; // a code no kind has

        c.sendRaw(frame);

        c.closed.get(10, TimeUnit.SECONDS);
        assertThat(c.frames).as("no reply to a malformed frame").isEmpty();
        assertThat(store.tenantErasures.get()).isZero();
        assertThat(store.open.values()).allSatisfy(p -> assertThat(p.adds).isEmpty());
    }

    @Test
    void add_partitionNotOwned_421AndNothingStoredOfTheFrame() throws Exception {
        int notOwned = new Partitioner(PARTITIONS).partitionOf("elsewhere");
        Set<Integer> rest = new java.util.TreeSet<>(Set.of(0, 1, 2, 3));
        rest.remove(notOwned);
        table.assign(rest).get(10, TimeUnit.SECONDS);
        ChannelClient c = client();

        c.send(add("elsewhere", "x"), Operation.count("elsewhere", Window.ALL));

        assertThat(c.nextResults().statuses()).containsExactly(421, 421);
    }

    @Test
    void operations_whileStopping_503() throws Exception {
        ChannelClient c = client();
        stopping.set(true);

        c.send(add("acme", "x"), Operation.count("acme", Window.ALL));

        assertThat(c.nextResults().statuses()).containsExactly(503, 503);
        assertThat(partitionOf("acme").adds).isEmpty();
    }

    @Test
    void issue19_eraseTenant_long_runsWithProgressWhileOtherOperationsAreAnswered() throws Exception {
        ChannelClient c = client();
        c.send(add("big", "1", "2", "3"));
        assertThat(c.nextResults().values()).containsExactly(3);
        store.eraseGate = new CompletableFuture<>();

        int erase = c.send(Operation.eraseTenant("big", 5));
        Reply running = c.nextResults();
        c.send(add("other", "x"), Operation.count("big", Window.ALL));
        Reply others = c.nextResults();
        Thread.sleep(2 * Channel.PROGRESS_MS + 500);
        store.eraseGate.complete(null);
        int[] progress = {0};
        WorkerFrame.Done done = c.nextDone(progress);

        assertThat(running.statuses()).containsExactly(Channel.RUNNING);
        assertThat(others.statuses()).as("answered while the erasure runs").containsExactly(200, 200);
        assertThat(progress[0]).isGreaterThanOrEqualTo(2);
        assertThat(done.requestId()).isEqualTo(erase);
        assertThat(done.op()).isZero();
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.value()).isEqualTo(3);
    }

    @Test
    void issue19_eraseTenant_resentWhileRunning_joinsTheRunningErasure() throws Exception {
        ChannelClient first = client();
        first.send(add("big", "1", "2"));
        first.nextResults();
        store.eraseGate = new CompletableFuture<>();
        first.send(Operation.eraseTenant("big", 5));
        first.nextResults();

        ChannelClient second = client(); // the coordinator re-sends on a new connection after losing the first
        second.send(Operation.eraseTenant("big", 5));
        second.nextResults();
        store.eraseGate.complete(null);

        assertThat(first.nextDone(new int[1]).value()).isEqualTo(2);
        assertThat(second.nextDone(new int[1]).value()).isEqualTo(2);
        assertThat(store.tenantErasures.get()).as("erasures the store ran").isEqualTo(1);
    }

    @Test
    void eraseTenant_resentAfterItEnded_sameTokenGetsTheResultNewTokenErasesAgain() throws Exception {
        ChannelClient c = client();
        c.send(add("big", "1", "2"));
        c.nextResults();
        c.send(Operation.eraseTenant("big", 5));
        assertThat(c.nextDone(new int[1]).value()).isEqualTo(2);

        c.send(Operation.eraseTenant("big", 5));
        long resent = c.nextDone(new int[1]).value();
        c.send(add("big", "3"));
        c.nextResults();
        c.send(Operation.eraseTenant("big", 6));
        long another = c.nextDone(new int[1]).value();

        assertThat(resent).isEqualTo(2);
        assertThat(another).isEqualTo(1);
        assertThat(store.tenantErasures.get()).isEqualTo(2);
    }
}
