package countapp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The coordinator's view of its workers and the partition table.
 *
 * <p>Per worker ({@code worker} label = its URL): {@code countapp_worker_live} (1 while it answers health
 * checks), {@code countapp_worker_partitions} (partitions it confirmed owning),
 * {@code countapp_worker_health_checks_total{result}}, {@code countapp_worker_spawns_total},
 * {@code countapp_worker_exits_total} (unexpected process exits) and {@code countapp_worker_kills_total}
 * (SIGKILLs of stalled workers). A worker removed from the config loses its series.
 *
 * <p>Table: {@code countapp_partition_table_changes_total} and {@code countapp_partition_moves_total}
 * (partitions whose owner changed).
 */
public final class ClusterMetrics {
    private final MeterRegistry registry;
    private final Counter tableChanges;
    private final Counter moves;

    public ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
        tableChanges = Counter.builder("countapp.partition.table.changes")
                .description("times the partition table changed").register(registry);
        moves = Counter.builder("countapp.partition.moves")
                .description("partitions that moved to another worker").register(registry);
    }

    public void tableChanged(int movedPartitions) {
        tableChanges.increment();
        moves.increment(movedPartitions);
    }

    /** Registers a worker's meters; the suppliers are read at scrape time and must be thread-safe. */
    public WorkerMeters register(String url, BooleanSupplier live, IntSupplier partitions) {
        return new WorkerMeters(registry, url, live, partitions);
    }

    /** One worker's meters; {@link #unregister()} removes them when the worker leaves the config. */
    public static final class WorkerMeters {
        private final MeterRegistry registry;
        private final Counter healthy;
        private final Counter unhealthy;
        private final Counter spawns;
        private final Counter exits;
        private final Counter kills;
        private final List<Meter> meters;

        WorkerMeters(MeterRegistry registry, String url, BooleanSupplier live, IntSupplier partitions) {
            this.registry = registry;
            Gauge liveGauge = Gauge.builder("countapp.worker.live", live, s -> s.getAsBoolean() ? 1 : 0)
                    .description("1 while the worker answers health checks").tag("worker", url)
                    .strongReference(true).register(registry);
            Gauge partitionGauge = Gauge.builder("countapp.worker.partitions", partitions, IntSupplier::getAsInt)
                    .description("partitions the worker confirmed owning").tag("worker", url)
                    .strongReference(true).register(registry);
            healthy = health(url, "ok");
            unhealthy = health(url, "failed");
            spawns = counter("countapp.worker.spawns", url, "worker processes started");
            exits = counter("countapp.worker.exits", url, "worker processes that exited unexpectedly");
            kills = counter("countapp.worker.kills", url, "stalled worker processes killed by the coordinator");
            meters = List.of(liveGauge, partitionGauge, healthy, unhealthy, spawns, exits, kills);
        }

        private Counter health(String url, String result) {
            return Counter.builder("countapp.worker.health.checks").tag("worker", url).tag("result", result)
                    .description("health checks of the worker").register(registry);
        }

        private Counter counter(String name, String url, String description) {
            return Counter.builder(name).tag("worker", url).description(description).register(registry);
        }

        public void healthCheck(boolean ok) {
            (ok ? healthy : unhealthy).increment();
        }

        public void spawned() {
            spawns.increment();
        }

        public void exited() {
            exits.increment();
        }

        public void killed() {
            kills.increment();
        }

        public long spawnCount() {
            return (long) spawns.count();
        }

        public void unregister() {
            meters.forEach(registry::remove);
        }
    }
}
