package countapp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterMetricsTest {
    private static final String URL = "http://localhost:5001";

    @Test
    void register_liveAndPartitionGauges_followTheWorkerAtScrapeTime() {
        try (Metrics metrics = Metrics.create()) {
            AtomicBoolean live = new AtomicBoolean(true);
            AtomicInteger owned = new AtomicInteger(4);
            new ClusterMetrics(metrics.registry()).register(URL, live::get, owned::get);

            assertThat(metrics.scrape()).contains("countapp_worker_live{worker=\"" + URL + "\"} 1.0",
                    "countapp_worker_partitions{worker=\"" + URL + "\"} 4.0");
            live.set(false);
            owned.set(0);
            assertThat(metrics.scrape()).contains("countapp_worker_live{worker=\"" + URL + "\"} 0.0",
                    "countapp_worker_partitions{worker=\"" + URL + "\"} 0.0");
        }
    }

    @Test
    void workerMeters_events_countedPerWorker() {
        try (Metrics metrics = Metrics.create()) {
            ClusterMetrics.WorkerMeters w = new ClusterMetrics(metrics.registry()).register(URL, () -> true, () -> 0);

            w.spawned();
            w.spawned();
            w.exited();
            w.killed();
            w.healthCheck(true);
            w.healthCheck(false);
            w.healthCheck(true);

            assertThat(w.spawnCount()).isEqualTo(2);
            assertThat(metrics.scrape()).contains(
                    "countapp_worker_spawns_total{worker=\"" + URL + "\"} 2.0",
                    "countapp_worker_exits_total{worker=\"" + URL + "\"} 1.0",
                    "countapp_worker_kills_total{worker=\"" + URL + "\"} 1.0",
                    "countapp_worker_health_checks_total{result=\"ok\",worker=\"" + URL + "\"} 2.0",
                    "countapp_worker_health_checks_total{result=\"failed\",worker=\"" + URL + "\"} 1.0");
        }
    }

    @Test
    void unregister_removedWorker_loosesEverySeriesAndCanComeBackFresh() {
        try (Metrics metrics = Metrics.create()) {
            ClusterMetrics cluster = new ClusterMetrics(metrics.registry());
            ClusterMetrics.WorkerMeters first = cluster.register(URL, () -> true, () -> 3);
            first.spawned();

            first.unregister();

            assertThat(metrics.scrape()).doesNotContain(URL);
            ClusterMetrics.WorkerMeters again = cluster.register(URL, () -> false, () -> 0);
            assertThat(again.spawnCount()).isZero();
            assertThat(metrics.scrape()).contains("countapp_worker_live{worker=\"" + URL + "\"} 0.0");
        }
    }

    @Test
    void tableChanged_movedPartitions_addedToMovesAndOneChange() {
        try (Metrics metrics = Metrics.create()) {
            ClusterMetrics cluster = new ClusterMetrics(metrics.registry());

            cluster.tableChanged(5);
            cluster.tableChanged(3);

            assertThat(metrics.scrape()).contains("countapp_partition_table_changes_total 2.0",
                    "countapp_partition_moves_total 8.0");
        }
    }
}
