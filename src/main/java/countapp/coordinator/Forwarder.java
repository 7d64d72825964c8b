package countapp.coordinator;

import countapp.api.ApiException;
import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.placement.ItemGroups;
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

    /**
     * Adds every item of the batch; completes with the number of new pairs once all owners acknowledged.
     * Each tenant is hashed to its partition once, here: the items travel grouped by partition, and a
     * retry re-routes whole groups.
     */
    Future<Long> add(ItemBatch batch) {
        int n = batch.size();
        if (n == 0) {
            return Future.succeededFuture(0L);
        }
        Routing table = routing.get();
        int[] partitionOf = ItemGroups.partitions(batch, table.partitioner());
        return add(batch, ItemGroups.of(partitionOf, ItemGroups.all(n), n), deadline(), FIRST_BACKOFF_MS);
    }

    private Future<Long> add(ItemBatch batch, List<ItemGroups.Group> groups, long deadline, long backoff) {
        Routing table = routing.get();
        WorkerHandle only = table.owner(groups.get(0).partition());
        boolean oneOwner = true;
        for (int g = 1; g < groups.size() && oneOwner; g++) {
            oneOwner = table.owner(groups.get(g).partition()) == only;
        }
        if (oneOwner) { // the common case (a single item, or one tenant's items): no splitting needed
            return sendItems(only, batch, groups).recover(failure -> retry(Op.ADD, failure, deadline, backoff,
                    () -> add(batch, groups, deadline, Math.min(MAX_BACKOFF_MS, backoff * 2))));
        }
        Map<WorkerHandle, List<ItemGroups.Group>> byOwner = new IdentityHashMap<>();
        for (ItemGroups.Group group : groups) {
            byOwner.computeIfAbsent(table.owner(group.partition()), w -> new ArrayList<>()).add(group);
        }
        List<Future<Long>> parts = new ArrayList<>(byOwner.size());
        for (Map.Entry<WorkerHandle, List<ItemGroups.Group>> e : byOwner.entrySet()) {
            List<ItemGroups.Group> mine = e.getValue();
            parts.add(sendItems(e.getKey(), batch, mine).recover(failure -> retry(Op.ADD, failure, deadline, backoff,
                    () -> add(batch, mine, deadline, Math.min(MAX_BACKOFF_MS, backoff * 2)))));
        }
        return Future.all(parts).map(cf -> {
            long added = 0;
            for (Future<Long> f : parts) {
                added += f.result();
            }
            return added;
        });
    }

    private Future<Long> sendItems(WorkerHandle owner, ItemBatch batch, List<ItemGroups.Group> groups) {
        if (owner == null || !owner.live) {
            return Future.failedFuture(notLive(owner));
        }
        return channels.on(owner, channel -> channel.add(batch, groups));
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
