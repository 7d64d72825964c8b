package countapp.store.redis;

import countapp.store.CountCursor;
import countapp.store.TenantCount;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Walks a partition's tenants and their counts in one window (the counting is the partition's). The tenants come from the partition's
 * registry, {@link RedisKeys#tenants}: a sorted set whose members (all of score 0) are every tenant an
 * add of this partition has seen, written in the add's own pipeline, plus the tenants stored before the
 * registry existed, which {@link RegistryBackfill} registers once per database.
 *
 * <p>Why a registry rather than {@code SCAN MATCH countapp:{*}:items}: a SCAN walks the whole keyspace
 * (every tenant of every partition and all their window sets) on every node, once per partition exported,
 * and could only tell a tenant's partition by rehashing it. The registry holds just this partition's
 * names. Why a sorted set walked by name rather than a set walked with {@code SSCAN}: SSCAN may list a
 * member twice when the set is resized during the walk, and the cursor promises each tenant once; a walk
 * by name ({@code ZRANGE BYLEX} from just after the last name returned) lists each name once, in order,
 * needs nothing but that name to resume, and holds one chunk in memory.
 *
 * <p>An erased tenant's name stays in the registry (removing it could race with an add on another node and
 * lose a live tenant); its count is 0 and the walk skips it.
 */
final class RedisCountCursor implements CountCursor {
    private final RedisClusterAsyncCommands<String, String> reads;
    private final String registry;
    /** Counts a chunk's tenants: the partition's {@code SCARD} of the window's set, tracked for close. */
    private final Function<List<String>, CompletableFuture<List<Long>>> counts;
    private String after; // the last name returned; null before the first chunk
    private boolean done;

    RedisCountCursor(RedisClusterAsyncCommands<String, String> reads, String registry,
            Function<List<String>, CompletableFuture<List<Long>>> counts) {
        this.reads = reads;
        this.registry = registry;
        this.counts = counts;
    }

    /**
     * Reads up to {@code max} names, counts them, and drops zeros; when a whole chunk was zeros (erased
     * tenants) it reads on, since an empty answer means the walk is over.
     */
    @Override
    public CompletableFuture<List<TenantCount>> next(int max) {
        if (max <= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("max must be positive: " + max));
        }
        if (done) {
            return CompletableFuture.completedFuture(List.of());
        }
        Range<String> rest = after == null ? Range.unbounded()
                : Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded());
        return RedisPartition.stage(reads.zrangebylex(registry, rest, Limit.create(0, max))).thenCompose(names -> {
            if (names.size() < max) {
                done = true;
            }
            if (names.isEmpty()) {
                return CompletableFuture.completedFuture(List.<TenantCount>of());
            }
            after = names.get(names.size() - 1);
            return counts.apply(names).thenCompose(found -> {
                List<TenantCount> chunk = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    if (found.get(i) > 0) {
                        chunk.add(new TenantCount(names.get(i), found.get(i)));
                    }
                }
                return chunk.isEmpty() && !done ? next(max) : CompletableFuture.completedFuture(chunk);
            });
        });
    }
}
