package countapp.store.redis;

import countapp.model.ItemBatch;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A partition of the Redis backend: a routing unit only. An add sends one {@code SADD} per tenant of the
 * sub-batch, all pipelined on the shared connection, and {@code added} is the sum of their replies (the
 * number of new members). With {@code redis_wait_replicas: N} a {@code WAIT N} follows on the same node
 * connection, so it covers exactly those writes, and the add fails unless N replicas confirmed them.
 * Counts and id scans go over a second connection, so a {@code WAIT} never holds up a read.
 */
final class RedisPartition implements Partition {
    private final int id;
    private final RedisClusterAsyncCommands<String, String> commands;
    /** Counts and scans: another connection than the adds, whose {@code WAIT}s would hold them up. */
    private final RedisClusterAsyncCommands<String, String> reads;
    private final StatefulRedisClusterConnection<String, String> cluster; // null for a standalone server
    private final RedisClusterClient clusterClient;
    private final int waitReplicas;
    private final long waitTimeoutMs;
    private volatile boolean closed;
    /** Adds and counts not finished yet; close waits for them so a graceful stop answers every request. */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    RedisPartition(int id, RedisClusterAsyncCommands<String, String> commands,
            RedisClusterAsyncCommands<String, String> reads, StatefulRedisClusterConnection<String, String> cluster, RedisClusterClient clusterClient, int waitReplicas,
            long waitTimeoutMs) {
        this.id = id;
        this.commands = commands;
        this.reads = reads;
        this.cluster = cluster;
        this.clusterClient = clusterClient;
        this.waitReplicas = waitReplicas;
        this.waitTimeoutMs = waitTimeoutMs;
    }

    /**
     * The tenant's set. The hash tag makes the key's slot depend on the tenant alone; the key is the fixed
     * prefix and suffix around the tenant, so distinct tenants always have distinct keys.
     */
    static String key(String tenant) {
        return "countapp:{" + tenant + "}:items";
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            byTenant.computeIfAbsent(batch.tenant(i), t -> new ArrayList<>()).add(batch.id(i));
        }
        return track(() -> {
            if (byTenant.isEmpty()) {
                return CompletableFuture.completedFuture(0L);
            }
            if (waitReplicas > 0 && cluster != null) {
                return addOnOwningNodes(byTenant);
            }
            List<CompletableFuture<Long>> replies = sadd(commands, byTenant);
            if (waitReplicas > 0) {
                replies.add(waitFor(commands));
            }
            return sum(replies, byTenant.size());
        });
    }

    /**
     * {@code WAIT} counts only the writes of the connection it is sent on, so with a Cluster each tenant's
     * {@code SADD} and the {@code WAIT} go to the master owning the key's slot over that node's connection.
     * A MOVED reply (the slot moved during a failover) fails the add, which the coordinator retries, and
     * asks for a topology refresh so the retry finds the new master.
     */
    private CompletableFuture<Long> addOnOwningNodes(Map<String, List<String>> byTenant) {
        Map<String, Map<String, List<String>>> byNode = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : byTenant.entrySet()) {
            RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key(e.getKey())));
            if (master == null) {
                clusterClient.refreshPartitionsAsync();
                return CompletableFuture.failedFuture(new StoreException("no Redis master serves the slot of tenant "
                        + e.getKey() + " (cluster topology changing)"));
            }
            byNode.computeIfAbsent(master.getNodeId(), n -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        List<CompletableFuture<Long>> perNode = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<String>>> e : byNode.entrySet()) {
            Map<String, List<String>> tenants = e.getValue();
            perNode.add(cluster.getConnectionAsync(e.getKey()).thenCompose(node -> {
                List<CompletableFuture<Long>> replies = sadd(node.async(), tenants);
                replies.add(waitFor(node.async()));
                return sum(replies, tenants.size());
            }));
        }
        return sum(perNode, perNode.size()).whenComplete((v, err) -> {
            if (err != null) {
                clusterClient.refreshPartitionsAsync();
            }
        });
    }

    private static List<CompletableFuture<Long>> sadd(RedisClusterAsyncCommands<String, String> on,
            Map<String, List<String>> byTenant) {
        List<CompletableFuture<Long>> replies = new ArrayList<>(byTenant.size() + 1);
        for (Map.Entry<String, List<String>> e : byTenant.entrySet()) {
            replies.add(stage(on.sadd(key(e.getKey()), e.getValue().toArray(String[]::new))));
        }
        return replies;
    }

    /** The {@code WAIT} reply is checked here and counts as 0 added items. */
    private CompletableFuture<Long> waitFor(RedisClusterAsyncCommands<String, String> on) {
        return stage(on.waitForReplication(waitReplicas, waitTimeoutMs)).thenApply(confirmed -> {
            if (confirmed < waitReplicas) {
                throw new StoreException("only " + confirmed + " of the " + waitReplicas
                        + " Redis replicas required by redis_wait_replicas confirmed the write within "
                        + waitTimeoutMs + " ms");
            }
            return 0L;
        });
    }

    /** Sums the first {@code adds} replies; every reply must succeed. */
    private static CompletableFuture<Long> sum(List<CompletableFuture<Long>> replies, int adds) {
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long total = 0;
            for (int i = 0; i < adds; i++) {
                total += replies.get(i).join();
            }
            return total;
        });
    }

    @Override
    public CompletableFuture<Long> count(String tenant) {
        return track(() -> stage(reads.scard(key(tenant))));
    }

    /**
     * One {@code SSCAN} step: the cursor is Redis' own. Redis may return somewhat more or fewer than
     * {@code max} ids per step, in no particular order, and an id may be listed twice if the set is resized
     * while the scan goes on (SSCAN's guarantee: every id present throughout is listed at least once).
     */
    @Override
    public CompletableFuture<IdChunk> ids(String tenant, String cursor, int max) {
        ScanCursor from = ScanCursor.of(cursor == null ? "0" : cursor);
        return track(() -> stage(reads.sscan(key(tenant), from, ScanArgs.Builder.limit(max)))
                .thenApply(c -> new IdChunk(c.getValues(), c.isFinished() ? null : c.getCursor())));
    }

    /** Any Redis failure (timeout, disconnection, error reply) becomes a {@link StoreException}: a 503. */
    private static <T> CompletableFuture<T> stage(RedisFuture<T> future) {
        return future.toCompletableFuture().handle((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                throw cause instanceof StoreException ? (StoreException) cause
                        : new StoreException("Redis: " + cause.getMessage(), cause);
            }
            return v;
        });
    }

    /**
     * Registers the operation before checking {@link #closed}, so {@link #close} (which sets the flag, then
     * snapshots the set) either sees it or the operation sees the flag and never starts.
     */
    @SuppressWarnings({"CollectionUndefinedEquality", "FutureReturnValueIgnored"}) // identity is what the set wants
    private <T> CompletableFuture<T> track(java.util.function.Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        inFlight.add(result);
        if (closed) {
            inFlight.remove(result);
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        CompletableFuture<T> started;
        try {
            started = operation.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e instanceof StoreException ? e : new StoreException("Redis: " + e.getMessage(), e));
        }
        started.whenComplete((v, e) -> {
            inFlight.remove(result);
            if (e != null) {
                result.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                result.complete(v);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }
}
