package countapp.store.redis;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
import countapp.store.redis.RedisWrites.Write;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A partition of the Redis backend: a routing unit only. An add is one round trip of the writes
 * {@link RedisAdd} plans for its item group (a multi-member {@code SADD} or the add script per tenant, and
 * one {@code ZADD} to the partition's registry), sent by {@link RedisWrites}, which adds the {@code WAIT} of
 * {@code redis_wait_replicas}; erasures are written the same way. {@code added} is the number of new
 * all-time pairs. Counts and id scans go over a second connection, so a {@code WAIT} never holds up a read.
 *
 * <p>Every write touching more than one set of a tenant is a script, and all of a tenant's sets share its
 * slot, so an add, an erase and an erase of the tenant are each one atomic step on one node: racing, they
 * end in one order or the other, never half of each.
 */
final class RedisPartition implements Partition {
    private final int id;
    private final RedisWrites writes;
    /** Counts and scans: another connection than the adds, whose {@code WAIT}s would hold them up. */
    private final RedisClusterAsyncCommands<String, String> reads;
    private final Retention windows;
    private final Clock clock;
    /** The store's count of items that missed a window they belong to (see {@link RedisStore#lateItems}). */
    private final java.util.function.LongConsumer lateItems;
    private volatile boolean closed;
    /** Adds and counts not finished yet; close waits for them so a graceful stop answers every request. */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    RedisPartition(int id, RedisWrites writes, RedisClusterAsyncCommands<String, String> reads, Retention windows,
            Clock clock, java.util.function.LongConsumer lateItems) {
        this.id = id;
        this.writes = writes;
        this.reads = reads;
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

    @Override
    public CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
        RedisAdd.Plan plan = RedisAdd.plan(id, batch, indices, count, windows, today());
        if (plan.lateItems() > 0) {
            lateItems.accept(plan.lateItems());
        }
        if (plan.writes().isEmpty()) {
            return track(() -> CompletableFuture.completedFuture(0L));
        }
        return track(() -> writes.send(plan.writes()));
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
        return track(() -> stage(RedisScript.UNION_COUNT.run(reads, keys, new String[0])));
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
        return track(() -> writes.send(List.of(Write.script(RedisScript.ERASE, keys, new String[] {itemId}))));
    }

    /** Deletes the tenant's all-time set and every window set, in one script. */
    @Override
    public CompletableFuture<Long> eraseTenant(String tenant) {
        String[] keys = allSets(tenant);
        return track(() -> writes.send(List.of(Write.script(RedisScript.ERASE_TENANT, keys, new String[0]))));
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
                throw storeException(e);
            }
            return v;
        });
    }

    /** The cause of a failed Redis step, as the {@link StoreException} it answers with. */
    static StoreException storeException(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof StoreException se ? se : new StoreException("Redis: " + cause.getMessage(), cause);
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

    boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }
}
