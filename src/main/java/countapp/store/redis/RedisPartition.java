package countapp.store.redis;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A partition of the Redis backend: a routing unit only. An add sends, per tenant of the sub-batch, one
 * {@code SADD} to its all-time set, or, when some items fall in kept windows, one {@link RedisScript#ADD}
 * that adds them to the all-time and window sets and sets the windows' expiry at once; plus one {@code ZADD}
 * of the batch's tenants to the partition's registry, all pipelined on the shared connection. {@code added}
 * is the number of new all-time pairs. With {@code redis_wait_replicas: N} a {@code WAIT N} follows on the
 * same node connection, so it covers exactly those writes, and the add fails unless N replicas confirmed
 * them; erasures are written the same way. Counts and id scans go over a second connection, so a
 * {@code WAIT} never holds up a read.
 *
 * <p>Every write touching more than one set of a tenant is a script, and all of a tenant's sets share its
 * slot, so an add, an erase and an erase of the tenant are each one atomic step on one node: racing, they
 * end in one order or the other, never half of each.
 */
final class RedisPartition implements Partition {
    private final int id;
    private final RedisClusterAsyncCommands<String, String> commands;
    /** Counts and scans: another connection than the adds, whose {@code WAIT}s would hold them up. */
    private final RedisClusterAsyncCommands<String, String> reads;
    private final @Nullable StatefulRedisClusterConnection<String, String> cluster; // null for a standalone server
    private final @Nullable RedisClusterClient clusterClient;
    private final int waitReplicas;
    private final long waitTimeoutMs;
    private final Retention windows;
    private final Clock clock;
    /** The store's count of items that missed a window they belong to (see {@link RedisStore#lateItems}). */
    private final java.util.function.LongConsumer lateItems;
    private volatile boolean closed;
    /** Adds and counts not finished yet; close waits for them so a graceful stop answers every request. */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    RedisPartition(int id, RedisClusterAsyncCommands<String, String> commands,
            RedisClusterAsyncCommands<String, String> reads, @Nullable StatefulRedisClusterConnection<String, String> cluster,
            @Nullable RedisClusterClient clusterClient, int waitReplicas, long waitTimeoutMs, Retention windows, Clock clock,
            java.util.function.LongConsumer lateItems) {
        this.id = id;
        this.commands = commands;
        this.reads = reads;
        this.cluster = cluster;
        this.clusterClient = clusterClient;
        this.waitReplicas = waitReplicas;
        this.waitTimeoutMs = waitTimeoutMs;
        this.windows = windows;
        this.clock = clock;
        this.lateItems = lateItems;
    }

    /** The tenant's all-time set (see {@link RedisKeys} for the whole layout). */
    static String key(String tenant) {
        return RedisKeys.items(tenant);
    }

    @Override
    public int id() {
        return id;
    }

    private int today() {
        return Window.dayOfMillis(clock.millis());
    }

    /** One tenant's share of an add: its ids all-time, and per window set the ids seen in it. */
    private static final class TenantAdd {
        final List<String> ids = new ArrayList<>();
        final Map<String, List<String>> windowIds = new LinkedHashMap<>();
        final Map<String, Long> expiry = new LinkedHashMap<>();

        void window(String key, long expiresAt, String itemId) {
            windowIds.computeIfAbsent(key, k -> new ArrayList<>()).add(itemId);
            expiry.put(key, expiresAt);
        }
    }

    @Override
    public CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
        int today = today();
        int thisMonth = Window.monthOfDay(today);
        Map<String, TenantAdd> byTenant = new LinkedHashMap<>();
        long late = 0;
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            String tenant = batch.tenant(i);
            TenantAdd t = byTenant.computeIfAbsent(tenant, x -> new TenantAdd());
            t.ids.add(batch.id(i));
            int day = batch.day(i);
            if (!windows.enabled() || day == ItemBatch.NO_DAY) {
                continue;
            }
            boolean missed = false;
            if (windows.days() > 0) {
                if (windows.keepsDay(day, today)) {
                    t.window(RedisKeys.day(tenant, day), RedisKeys.dayExpiry(day, windows), batch.id(i));
                } else {
                    missed = true;
                }
            }
            if (windows.months() > 0) {
                int month = Window.monthOfDay(day);
                if (windows.keepsMonth(month, thisMonth)) {
                    t.window(RedisKeys.month(tenant, month), RedisKeys.monthExpiry(month, windows), batch.id(i));
                } else {
                    missed = true;
                }
            }
            if (missed) {
                late++;
            }
        }
        if (late > 0) {
            lateItems.accept(late);
        }
        return track(() -> {
            if (byTenant.isEmpty()) {
                return CompletableFuture.completedFuture(0L);
            }
            List<Write> writes = new ArrayList<>(byTenant.size() + 1);
            for (Map.Entry<String, TenantAdd> e : byTenant.entrySet()) {
                writes.add(addWrite(e.getKey(), e.getValue()));
            }
            writes.add(register(byTenant.keySet()));
            return write(writes);
        });
    }

    /** A plain {@code SADD} when the tenant's items touch no window, else the add script over all its sets. */
    private Write addWrite(String tenant, TenantAdd t) {
        String all = RedisKeys.items(tenant);
        if (t.windowIds.isEmpty()) {
            String[] members = t.ids.toArray(String[]::new);
            return new Write(all, on -> stage(on.sadd(all, members)));
        }
        int n = 1 + t.windowIds.size();
        String[] keys = new String[n];
        List<String> args = new ArrayList<>(2 * n + t.ids.size() * 3);
        List<String> members = new ArrayList<>(t.ids);
        keys[0] = all;
        args.add(Integer.toString(t.ids.size()));
        int k = 1;
        for (Map.Entry<String, List<String>> w : t.windowIds.entrySet()) {
            keys[k++] = w.getKey();
            args.add(Integer.toString(w.getValue().size()));
            members.addAll(w.getValue());
        }
        args.add("0"); // KEYS[1] never expires
        for (long expiresAt : t.expiry.values()) {
            args.add(Long.toString(expiresAt));
        }
        args.addAll(members);
        return script(RedisScript.ADD, keys, args.toArray(String[]::new));
    }

    /** Adds the batch's tenants to the partition's registry (see {@link RedisCountCursor}); counts as 0 added. */
    private Write register(Set<String> tenants) {
        String registry = RedisKeys.tenants(id);
        Object[] scoresAndNames = new Object[2 * tenants.size()];
        int k = 0;
        for (String t : tenants) {
            scoresAndNames[k++] = 0.0;
            scoresAndNames[k++] = t;
        }
        return new Write(registry, on -> stage(on.zadd(registry, ZAddArgs.Builder.nx(), scoresAndNames)).thenApply(n -> 0L));
    }

    /** A durable script write routed by its first key. */
    private Write script(RedisScript script, String[] keys, String[] args) {
        return new Write(keys[0], on -> stage(script.run(on, keys, args,
                () -> waitReplicas > 0 ? waitFor(on) : CompletableFuture.completedFuture(0L))));
    }

    /**
     * One write command: the key that routes it, and how to send it on a connection. Its reply is how many
     * new all-time pairs it stored, or for erasures the number they report; other writes reply 0.
     */
    private record Write(String key, Function<RedisClusterAsyncCommands<String, String>, CompletableFuture<Long>> send) {}

    /** Sends {@code writes} pipelined, then a {@code WAIT} when required; completes with the sum of replies. */
    private CompletableFuture<Long> write(List<Write> writes) {
        StatefulRedisClusterConnection<String, String> c = cluster;
        if (waitReplicas > 0 && c != null) {
            return writeOnOwningNodes(c, writes);
        }
        List<CompletableFuture<Long>> replies = send(commands, writes);
        if (waitReplicas > 0) {
            replies.add(waitFor(commands));
        }
        return sum(replies);
    }

    /**
     * {@code WAIT} counts only the writes of the connection it is sent on, so with a Cluster each write and
     * the {@code WAIT} go to the master owning the key's slot over that node's connection. A MOVED reply
     * (the slot moved during a failover) fails the write, which the caller retries, and asks for a topology
     * refresh so the retry finds the new master.
     */
    private CompletableFuture<Long> writeOnOwningNodes(StatefulRedisClusterConnection<String, String> c, List<Write> writes) {
        Map<String, List<Write>> byNode = new LinkedHashMap<>();
        for (Write w : writes) {
            RedisClusterNode master = c.getPartitions().getPartitionBySlot(SlotHash.getSlot(w.key()));
            if (master == null) {
                refreshTopology();
                return CompletableFuture.failedFuture(new StoreException("no Redis master serves the slot of "
                        + w.key() + " (cluster topology changing)"));
            }
            byNode.computeIfAbsent(master.getNodeId(), n -> new ArrayList<>()).add(w);
        }
        List<CompletableFuture<Long>> perNode = new ArrayList<>();
        for (Map.Entry<String, List<Write>> e : byNode.entrySet()) {
            List<Write> onNode = e.getValue();
            perNode.add(c.getConnectionAsync(e.getKey()).thenCompose(node -> {
                List<CompletableFuture<Long>> replies = send(node.async(), onNode);
                replies.add(waitFor(node.async()));
                return sum(replies);
            }));
        }
        return sum(perNode).whenComplete((v, err) -> {
            if (err != null) {
                refreshTopology();
            }
        });
    }

    private void refreshTopology() {
        RedisClusterClient cc = clusterClient;
        if (cc != null) {
            cc.refreshPartitionsAsync();
        }
    }

    private static List<CompletableFuture<Long>> send(RedisClusterAsyncCommands<String, String> on, List<Write> writes) {
        List<CompletableFuture<Long>> replies = new ArrayList<>(writes.size() + 1);
        for (Write w : writes) {
            replies.add(w.send().apply(on));
        }
        return replies;
    }

    /** The {@code WAIT} reply is checked here and counts as 0. */
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

    /** Sums the replies; every reply must succeed. */
    private static CompletableFuture<Long> sum(List<CompletableFuture<Long>> replies) {
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long total = 0;
            for (CompletableFuture<Long> r : replies) {
                total += r.join();
            }
            return total;
        });
    }

    @Override
    public CompletableFuture<Long> count(String tenant) {
        return track(() -> stage(reads.scard(key(tenant))));
    }

    /** A single window is one {@code SCARD}; a run of days the exact size of the union of its day sets. */
    @Override
    public CompletableFuture<Long> count(String tenant, Window window) {
        IllegalArgumentException refused = refusal(window);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (window.single()) {
            return track(() -> stage(reads.scard(RedisKeys.of(tenant, window))));
        }
        String[] keys = new String[2 + window.to() - window.from()];
        keys[0] = RedisKeys.union(tenant);
        for (int d = window.from(); d <= window.to(); d++) {
            keys[1 + d - window.from()] = RedisKeys.day(tenant, d);
        }
        // Not durable (the scratch key is gone when the script ends), so no WAIT on a retried body.
        return track(() -> stage(RedisScript.UNION_COUNT.run(reads, keys, new String[0],
                () -> CompletableFuture.completedFuture(0L))));
    }

    /** Why {@code window} cannot be counted today, or null when it can. */
    private @Nullable IllegalArgumentException refusal(Window window) {
        if (windows.keeps(window, today())) {
            return null;
        }
        String kept;
        if (!windows.enabled()) {
            kept = "windows are off";
        } else if (window.unit() == Window.Unit.MONTH) {
            kept = windows.months() > 0 ? "windows keep the last " + windows.months() + " months" : "windows keep no months";
        } else {
            kept = windows.days() > 0 ? "windows keep the last " + windows.days() + " days" : "windows keep no days";
        }
        return new IllegalArgumentException(window + (window.single() ? " is" : " are") + " not kept: " + kept);
    }

    /** Removes the pair from the all-time set and every window set that may hold it, in one script. */
    @Override
    public CompletableFuture<Long> erase(String tenant, String itemId) {
        String[] keys = allSets(tenant);
        return track(() -> write(List.of(script(RedisScript.ERASE, keys, new String[] {itemId}))));
    }

    /** Deletes the tenant's all-time set and every window set, in one script. */
    @Override
    public CompletableFuture<Long> eraseTenant(String tenant) {
        String[] keys = allSets(tenant);
        return track(() -> write(List.of(script(RedisScript.ERASE_TENANT, keys, new String[0]))));
    }

    /** The all-time set first, then every window set the tenant may have now. */
    private String[] allSets(String tenant) {
        List<String> keys = new ArrayList<>();
        keys.add(RedisKeys.items(tenant));
        keys.addAll(RedisKeys.windowSets(tenant, windows, today()));
        return keys.toArray(String[]::new);
    }

    /** Walks the partition's registry; refuses a run of days or a window not kept, on the first chunk. */
    @Override
    public CountCursor counts(Window window) {
        IllegalArgumentException refused = window.single() ? refusal(window)
                : new IllegalArgumentException("a counts export covers one window, not " + window);
        if (refused != null) {
            return max -> CompletableFuture.failedFuture(refused);
        }
        RedisCountCursor cursor = new RedisCountCursor(reads, RedisKeys.tenants(id), names -> {
            List<CompletableFuture<Long>> sizes = new ArrayList<>(names.size());
            for (String t : names) {
                sizes.add(stage(reads.scard(RedisKeys.of(t, window))));
            }
            return CompletableFuture.allOf(sizes.toArray(CompletableFuture[]::new))
                    .thenApply(v -> sizes.stream().map(CompletableFuture::join).toList());
        });
        return max -> track(() -> cursor.next(max));
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
    static <T> CompletableFuture<T> stage(java.util.concurrent.CompletionStage<T> future) {
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
