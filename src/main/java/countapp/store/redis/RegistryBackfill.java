package countapp.store.redis;

import countapp.placement.Partitioner;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the partitions' tenant registries ({@link RedisKeys#tenants}) with the tenants stored before the
 * registry existed, once per database.
 *
 * <p>Why: the counts export walks the registry, and adds register a tenant only from the version that
 * introduced it, so a tenant stored by an earlier version and not added to since would be missing from
 * every export. This walks the keyspace once with {@code SCAN MATCH countapp:{*}:items} (on a Cluster the
 * advanced cluster API's {@code SCAN} visits every master in turn), registers each tenant found in its
 * partition's registry with {@code ZADD NX} (one pipelined {@code ZADD} per partition per page), and then
 * sets {@link #FILLED_KEY} so later connects skip it.
 *
 * <p>It runs on a thread of its own, so a connect or an add never waits on it, one page at a time, so it
 * never floods Redis. Several workers running it at once do nothing worse than repeat each other's
 * {@code ZADD NX}. A failure is logged and leaves the flag unset, so the next connect runs it again; a
 * stop (the store closing) ends it quietly.
 */
final class RegistryBackfill {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryBackfill.class);
    /** Set once every tenant that existed when the backfill started is in its registry. */
    static final String FILLED_KEY = "countapp:registry-filled";
    private static final String PREFIX = "countapp:{";
    private static final String SUFFIX = "}:items";
    /** Keys Redis looks at per {@code SCAN} step (it returns only the matching ones). */
    static final int SCAN_COUNT = 1000;

    /** How a backfill ended. */
    enum Outcome {
        /** The flag was already set: nothing scanned. */
        ALREADY_FILLED,
        /** Every tenant found is registered and the flag is set. */
        FILLED,
        /** The store closed first; the flag is not set. */
        STOPPED,
        /** Redis failed; logged, and the flag is not set. */
        FAILED
    }

    private final RedisClusterAsyncCommands<String, String> scans;
    private final RedisClusterAsyncCommands<String, String> writes;
    private final Partitioner partitioner;
    private final long timeoutMs;
    private final String where;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param scans where the {@code SCAN} runs: for a Cluster, the cluster connection's commands, whose
     *     {@code SCAN} walks every master
     * @param writes where the {@code ZADD}s and the flag go
     * @param partitions the store's partition count, which decides each tenant's registry as it decides routing
     * @param timeoutMs the bound on waiting for one command's reply
     * @param where the Redis URL, for the logs
     */
    private RegistryBackfill(RedisClusterAsyncCommands<String, String> scans, RedisClusterAsyncCommands<String, String> writes,
            int partitions, long timeoutMs, String where) {
        this.scans = scans;
        this.writes = writes;
        this.partitioner = new Partitioner(partitions);
        this.timeoutMs = timeoutMs;
        this.where = where;
        this.thread = new Thread(this::run, "countapp-registry-backfill");
        this.thread.setDaemon(true);
    }

    /** Starts the backfill in the background and returns at once. */
    static RegistryBackfill start(RedisClusterAsyncCommands<String, String> scans,
            RedisClusterAsyncCommands<String, String> writes, int partitions, long timeoutMs, String where) {
        RegistryBackfill backfill = new RegistryBackfill(scans, writes, partitions, timeoutMs, where);
        backfill.thread.start();
        return backfill;
    }

    /** Completes when the backfill ends, however it ends. */
    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /**
     * Ends the backfill and waits (bounded) for its thread: called before the store's connections close, so
     * the thread never sees them closed and reports an error.
     */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The tenant whose all-time set {@code key} is, or null when it is another key. The tenant may hold
     * braces and colons (even {@code "}:items"}), so it is cut out by length, never by searching.
     */
    static @Nullable String tenantOf(String key) {
        if (key.length() < PREFIX.length() + SUFFIX.length() || !key.startsWith(PREFIX) || !key.endsWith(SUFFIX)) {
            return null;
        }
        return key.substring(PREFIX.length(), key.length() - SUFFIX.length());
    }

    private void run() {
        long found = 0;
        long added = 0;
        try {
            if (await(writes.exists(FILLED_KEY)) > 0) {
                LOG.debug("tenant registries of Redis {} already backfilled ({} is set)", where, FILLED_KEY);
                outcome.complete(Outcome.ALREADY_FILLED);
                return;
            }
            LOG.info("backfilling the tenant registries of Redis {} with tenants stored before them (SCAN of {}*{})",
                    where, PREFIX, SUFFIX);
            ScanArgs match = ScanArgs.Builder.matches(PREFIX + "*" + SUFFIX).limit(SCAN_COUNT);
            ScanCursor cursor = ScanCursor.INITIAL;
            boolean finished = false;
            while (!finished && !stopped) {
                KeyScanCursor<String> page = await(scans.scan(cursor, match));
                List<String> tenants = new ArrayList<>(page.getKeys().size());
                for (String key : page.getKeys()) {
                    String tenant = tenantOf(key);
                    if (tenant != null) {
                        tenants.add(tenant);
                    }
                }
                added += register(tenants);
                found += tenants.size();
                finished = page.isFinished();
                cursor = page;
            }
            if (stopped) {
                stoppedAfter(found);
                return;
            }
            await(writes.set(FILLED_KEY, "1"));
            LOG.info("backfilled the tenant registries of Redis {}: {} tenants registered ({} were missing); {} set",
                    where, found, added, FILLED_KEY);
            outcome.complete(Outcome.FILLED);
        } catch (InterruptedException e) {
            stoppedAfter(found); // only stop() interrupts this thread
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (stopped) {
                stoppedAfter(found);
                return;
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("backfilling the tenant registries of Redis {} failed after {} tenants registered; {} is not set, "
                    + "so the next connect tries again: {}", where, found, FILLED_KEY, cause.toString());
            outcome.complete(Outcome.FAILED);
        }
    }

    private void stoppedAfter(long found) {
        LOG.info("backfilling the tenant registries of Redis {} stopped by the store closing after {} tenants "
                + "registered; the next connect runs it again", where, found);
        outcome.complete(Outcome.STOPPED);
    }

    /** One {@code ZADD NX} per partition among {@code tenants}, pipelined; returns how many were new. */
    private long register(List<String> tenants) throws InterruptedException, ExecutionException, TimeoutException {
        if (tenants.isEmpty()) {
            return 0;
        }
        Map<Integer, List<Object>> byPartition = new HashMap<>();
        for (String tenant : tenants) {
            List<Object> scoresAndNames = byPartition.computeIfAbsent(partitioner.partitionOf(tenant), p -> new ArrayList<>());
            scoresAndNames.add(0.0);
            scoresAndNames.add(tenant);
        }
        List<RedisFuture<Long>> replies = new ArrayList<>(byPartition.size());
        for (Map.Entry<Integer, List<Object>> e : byPartition.entrySet()) {
            replies.add(writes.zadd(RedisKeys.tenants(e.getKey()), ZAddArgs.Builder.nx(), e.getValue().toArray()));
        }
        long added = 0;
        for (RedisFuture<Long> reply : replies) {
            added += await(reply);
        }
        return added;
    }

    private <T> T await(RedisFuture<T> reply) throws InterruptedException, ExecutionException, TimeoutException {
        return reply.get(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
