package countapp.coordinator;

import countapp.api.ApiException;
import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.metrics.ForwardMetrics;
import countapp.metrics.ForwardMetrics.Op;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to partition owners and retries failures until a deadline.
 *
 * <p>Retrying is safe because adds are idempotent: a sub-batch re-sent after a lost answer can never count
 * a pair twice. Each retry re-reads the routing table, so a sub-batch follows its partitions to their
 * current owners. Answers other than 200, 421 (not the owner) and 503 (unavailable) are final.
 */
final class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final long FIRST_BACKOFF_MS = 25;
    private static final long MAX_BACKOFF_MS = 500;

    private final Vertx vertx;
    private final WorkerClient client;
    private final WorkerChannels channels;
    private final Supplier<Routing> routing;
    /** The config's failover_timeout, read per request so that a reload applies to the next one. */
    private final Supplier<Duration> timeout;
    private final LongSupplier nanoTime;
    private final ForwardMetrics metrics;

    Forwarder(Vertx vertx, WorkerClient client, WorkerChannels channels, Supplier<Routing> routing,
            Supplier<Duration> timeout, LongSupplier nanoTime, ForwardMetrics metrics) {
        this.vertx = vertx;
        this.client = client;
        this.channels = channels;
        this.routing = routing;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    private long deadline() {
        return nanoTime.getAsLong() + timeout.get().toNanos();
    }

    /** Adds every item of the batch; completes with the number of new pairs once all owners acknowledged. */
    Future<Long> add(ItemBatch batch) {
        Routing table = routing.get();
        int n = batch.size();
        int[] partitionOf = new int[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            partitionOf[i] = table.partitionOf(batch.tenant(i));
            all[i] = i;
        }
        if (n == 0) {
            return Future.succeededFuture(0L);
        }
        return add(batch, partitionOf, all, n, deadline(), FIRST_BACKOFF_MS);
    }

    private Future<Long> add(ItemBatch batch, int[] partitionOf, int[] indices, int count, long deadline, long backoff) {
        Routing table = routing.get();
        WorkerHandle only = table.owner(partitionOf[indices[0]]);
        boolean oneOwner = true;
        for (int i = 1; i < count && oneOwner; i++) {
            oneOwner = table.owner(partitionOf[indices[i]]) == only;
        }
        if (oneOwner) { // the common case (a single item, or one tenant's items): no grouping needed
            return sendItems(only, batch, indices).recover(failure -> retry(Op.ADD, failure, deadline, backoff,
                    () -> add(batch, partitionOf, indices, count, deadline, Math.min(MAX_BACKOFF_MS, backoff * 2))));
        }
        Map<WorkerHandle, int[]> groups = new IdentityHashMap<>();
        Map<WorkerHandle, Integer> sizes = new IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            WorkerHandle owner = table.owner(partitionOf[indices[i]]);
            sizes.merge(owner, 1, Integer::sum);
        }
        for (int i = 0; i < count; i++) {
            int index = indices[i];
            WorkerHandle owner = table.owner(partitionOf[index]);
            int[] group = groups.computeIfAbsent(owner, w -> new int[sizes.get(w) + 1]);
            group[++group[0]] = index; // slot 0 holds the fill level
        }
        List<Future<Long>> parts = new ArrayList<>(groups.size());
        for (Map.Entry<WorkerHandle, int[]> e : groups.entrySet()) {
            int[] group = e.getValue();
            int size = group[0];
            int[] sub = java.util.Arrays.copyOfRange(group, 1, size + 1);
            parts.add(sendItems(e.getKey(), batch, sub)
                    .recover(failure -> retry(Op.ADD, failure, deadline, backoff,
                            () -> add(batch, partitionOf, sub, size, deadline, Math.min(MAX_BACKOFF_MS, backoff * 2)))));
        }
        return Future.all(parts).map(cf -> {
            long added = 0;
            for (Future<Long> f : parts) {
                added += f.result();
            }
            return added;
        });
    }

    private Future<Long> sendItems(WorkerHandle owner, ItemBatch batch, int[] sub) {
        if (owner == null || !owner.live) {
            return Future.failedFuture(notLive(owner));
        }
        return channels.on(owner, channel -> channel.add(batch, sub, sub.length));
    }

    /** Reads a tenant's count in {@code window} from its partition's owner. */
    Future<Long> count(String tenant, Window window) {
        return onOwner(Op.COUNT, routing.get().partitionOf(tenant), owner -> channels.on(owner, c -> c.count(tenant, window)));
    }

    /** Erases a pair on its partition's owner, retried like an add (erasing is idempotent). */
    Future<Long> erase(String tenant, String id) {
        return onOwner(Op.ERASE, routing.get().partitionOf(tenant), owner -> channels.on(owner, c -> c.erase(tenant, id)));
    }

    /**
     * Erases a tenant on its partition's owner; completes with the pairs it had. Every re-send carries one
     * token, so a re-send joins the erasure still running on the worker, or gets the result of one that
     * ended, rather than erasing again.
     */
    Future<Long> eraseTenant(String tenant) {
        long token = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        return onOwner(Op.ERASE, routing.get().partitionOf(tenant),
                owner -> channels.on(owner, c -> c.eraseTenant(tenant, token)));
    }

    /**
     * Opens the stream of one partition's counts in {@code window} on its owner: completes with the owner's
     * paused 200 response. Failures before the first byte are retried like a count.
     */
    Future<HttpClientResponse> counts(int partition, Window window) {
        return onOwner(Op.EXPORT, partition, owner -> streamed(owner, client.counts(owner, partition, window)));
    }

    private static Future<HttpClientResponse> streamed(WorkerHandle owner, Future<HttpClientResponse> response) {
        return response.compose(resp -> {
            if (resp.statusCode() == 200) {
                return Future.succeededFuture(resp);
            }
            int status = resp.statusCode();
            Future<io.vertx.core.buffer.Buffer> body = resp.body();
            resp.resume();
            return body.compose(b -> Future.failedFuture(status == 421 || status == 503
                    ? new Unavailable(owner.url() + " answered " + status)
                    : new ApiException(status, countapp.api.Json.errorMessage(b.getBytes(), "worker " + owner.url()))));
        });
    }

    /** The partition count the routing works with. */
    int partitions() {
        return routing.get().partitions();
    }

    /**
     * Opens the stream of a tenant's ids on its partition's owner; completes with the owner's paused 200
     * response. Failures before the first byte are retried like a count; the stream itself is not.
     */
    Future<HttpClientResponse> ids(String tenant) {
        return onOwner(Op.IDS, routing.get().partitionOf(tenant), owner -> streamed(owner, client.ids(owner, tenant)));
    }

    /** Runs {@code attempt} on the partition's current owner, retrying transient failures until the deadline. */
    private <T> Future<T> onOwner(Op op, int partition, Function<WorkerHandle, Future<T>> attempt) {
        return onOwner(op, partition, attempt, deadline(), FIRST_BACKOFF_MS);
    }

    private <T> Future<T> onOwner(Op op, int partition, Function<WorkerHandle, Future<T>> attempt, long deadline,
            long backoff) {
        WorkerHandle owner = routing.get().owner(partition);
        Future<T> result = owner == null || !owner.live ? Future.failedFuture(notLive(owner)) : attempt.apply(owner);
        return result.recover(failure -> retry(op, failure, deadline, backoff,
                () -> onOwner(op, partition, attempt, deadline, Math.min(MAX_BACKOFF_MS, backoff * 2))));
    }

    private static Unavailable notLive(WorkerHandle owner) {
        return new Unavailable(owner == null ? "no workers" : owner.url() + " is not live");
    }

    private <T> Future<T> retry(Op op, Throwable failure, long deadline, long backoff, Supplier<Future<T>> again) {
        if (failure instanceof ApiException) {
            return Future.failedFuture(failure);
        }
        if (nanoTime.getAsLong() + backoff * 1_000_000 > deadline) {
            metrics.failed(op);
            return Future.failedFuture(new ApiException(503, "no worker could serve the request within "
                    + "failover_timeout (" + timeout.get().toMillis() + " ms): " + failure.getMessage()));
        }
        metrics.retried(op);
        LOG.debug("retrying in {} ms after: {}", backoff, failure.toString());
        Promise<T> promise = Promise.promise();
        vertx.setTimer(backoff, id -> again.get().onComplete(promise));
        return promise.future();
    }

    /** A transient failure: the owner is down, moving, or busy. Retried until the deadline. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
