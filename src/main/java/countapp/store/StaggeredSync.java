package countapp.store;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Spreads the partitions' fsyncs evenly over the persist interval, so that no moment syncs them all: one
 * thread visits the partitions in turn, ticks of at least 1 ms, and with many partitions or a short
 * interval each tick syncs several. Every partition is synced at least once per interval.
 *
 * <p>Thread-safe: {@link #schedule} may be called from any thread (a config reload); the visits run on
 * the given executor's one thread.
 */
public final class StaggeredSync {
    private final int partitions;
    private final ScheduledExecutorService executor;
    private final IntConsumer syncPartition;
    private ScheduledFuture<?> task; // guarded by this
    private long tick; // the executor's thread only

    /** {@code syncPartition} is given a partition number, open or not; it ignores the ones it does not hold. */
    public StaggeredSync(int partitions, ScheduledExecutorService executor, IntConsumer syncPartition) {
        this.partitions = partitions;
        this.executor = executor;
        this.syncPartition = syncPartition;
    }

    /** Replaces the schedule; an interval of zero stops it (every write is synced by its writer). */
    public synchronized void schedule(Duration interval) {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (interval.isZero()) {
            return;
        }
        long intervalMicros = Math.max(1, interval.toNanos() / 1000);
        long tickMicros = Math.max(1000, intervalMicros / partitions);
        int perTick = (int) Math.min(partitions, (partitions * tickMicros + intervalMicros - 1) / intervalMicros);
        task = executor.scheduleAtFixedRate(() -> visit(perTick), tickMicros, tickMicros, TimeUnit.MICROSECONDS);
    }

    private void visit(int count) {
        for (int i = 0; i < count; i++) {
            syncPartition.accept((int) (tick++ % partitions));
        }
    }
}
