package countapp.metrics;

import countapp.store.PartitionStats;
import countapp.store.StoreListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A worker's store: {@code countapp_store_write_seconds} (each group-commit write, including its fsync when
 * {@code worker_persist} is 0), {@code countapp_store_log_sync_seconds} (each fsync of a partition's log),
 * {@code countapp_store_partitions_open}, opens and closes, and per open partition
 * {@code countapp_store_pairs{partition}}, {@code countapp_store_log_bytes{partition}} (its bytes on disk),
 * {@code countapp_store_index_bytes{partition}} and {@code countapp_store_write_blocked{partition}}.
 *
 * <p>The gauges are removed when the partition closes: a scrape never reads a closed partition.
 */
public final class StoreMetrics implements StoreListener {
    private final MeterRegistry registry;
    private final Timer writes;
    private final Timer logSyncs;
    private final Counter opens;
    private final Counter closes;
    private final Counter lateItems;
    private final Map<Integer, Registered> open = new ConcurrentHashMap<>();

    private record Registered(PartitionStats stats, List<Gauge> gauges) {}

    public StoreMetrics(MeterRegistry registry) {
        this.registry = registry;
        writes = Timer.builder("countapp.store.write").description("group-commit writes to a partition")
                .serviceLevelObjectives(HttpMetrics.BUCKETS).register(registry);
        logSyncs = Timer.builder("countapp.store.log.sync").description("fsyncs of a partition's log")
                .serviceLevelObjectives(HttpMetrics.BUCKETS).register(registry);
        opens = Counter.builder("countapp.store.partition.opens").description("partitions opened").register(registry);
        closes = Counter.builder("countapp.store.partition.closes").description("partitions closed").register(registry);
        lateItems = Counter.builder("countapp.items.late")
                .description("items older than every kept day and month window: counted all-time only").register(registry);
        Gauge.builder("countapp.store.partitions.open", open, Map::size)
                .description("partitions open in this worker").register(registry);
    }

    @Override
    public void written(long nanos) {
        writes.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lateItems(long items) {
        lateItems.increment((double) items);
    }

    @Override
    public void logSynced(long nanos) {
        logSyncs.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void opened(int partition, PartitionStats stats) {
        Registered stale = open.remove(partition);
        if (stale != null) {
            // A close that was never reported: its gauges would otherwise shadow the new ones (same ids).
            stale.gauges().forEach(registry::remove);
        }
        String tag = Integer.toString(partition);
        List<Gauge> gauges = List.of(
                Gauge.builder("countapp.store.pairs", stats, PartitionStats::pairs)
                        .description("pairs stored in the partition")
                        .tag("partition", tag).strongReference(true).register(registry),
                Gauge.builder("countapp.store.log", stats, PartitionStats::diskBytes).baseUnit("bytes")
                        .description("bytes of the partition's files on disk")
                        .tag("partition", tag).strongReference(true).register(registry),
                Gauge.builder("countapp.store.index", stats, PartitionStats::indexBytes).baseUnit("bytes")
                        .description("memory of the partition's index of stored pairs")
                        .tag("partition", tag).strongReference(true).register(registry),
                Gauge.builder("countapp.store.write.blocked", stats, s -> s.writeBlocked() == null ? 0 : 1)
                        .description("1 while the partition refuses writes (its disk is full), else 0")
                        .tag("partition", tag).strongReference(true).register(registry));
        open.put(partition, new Registered(stats, gauges));
        opens.increment();
    }

    @Override
    public void closed(int partition, PartitionStats stats) {
        // Only the partition that registered the gauges may remove them (a reopen may have replaced them).
        Registered current = open.get(partition);
        if (current != null && current.stats() == stats && open.remove(partition, current)) {
            current.gauges().forEach(registry::remove);
            closes.increment();
        }
    }
}
