package countapp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.store.PartitionStats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {
    private record Stats(long pairs, long diskBytes) implements PartitionStats {}

    @Test
    void opened_partition_sizeGaugesReadItsCachedFigures() {
        try (Metrics metrics = Metrics.create()) {
            StoreMetrics store = new StoreMetrics(metrics.registry());

            store.opened(7, new Stats(1234, 56789));

            assertThat(metrics.scrape()).contains("countapp_store_pairs{partition=\"7\"} 1234.0",
                    "countapp_store_log_bytes{partition=\"7\"} 56789.0", "countapp_store_partitions_open 1.0",
                    "countapp_store_partition_opens_total 1.0");
        }
    }

    @Test
    void closed_partition_gaugesRemoved() {
        try (Metrics metrics = Metrics.create()) {
            StoreMetrics store = new StoreMetrics(metrics.registry());
            Stats stats = new Stats(1, 2);
            store.opened(3, stats);

            store.closed(3, stats);

            assertThat(metrics.scrape()).doesNotContain("partition=\"3\"")
                    .contains("countapp_store_partitions_open 0.0", "countapp_store_partition_closes_total 1.0");
        }
    }

    @Test
    void closed_byAnOlderIncarnation_leavesTheReopenedPartitionsGauges() {
        try (Metrics metrics = Metrics.create()) {
            StoreMetrics store = new StoreMetrics(metrics.registry());
            Stats old = new Stats(1, 1);
            Stats reopened = new Stats(99, 1);
            store.opened(3, old);
            store.opened(3, reopened);

            store.closed(3, old);

            assertThat(metrics.scrape()).contains("countapp_store_pairs{partition=\"3\"} 99.0");
        }
    }

    @Test
    void writtenAndLogSynced_recordedAsHistograms() {
        try (Metrics metrics = Metrics.create()) {
            StoreMetrics store = new StoreMetrics(metrics.registry());

            store.written(TimeUnit.MICROSECONDS.toNanos(300));
            store.logSynced(TimeUnit.MILLISECONDS.toNanos(4));
            store.logSynced(TimeUnit.MILLISECONDS.toNanos(20));

            assertThat(metrics.scrape()).contains("countapp_store_write_seconds_count 1",
                    "countapp_store_log_sync_seconds_count 2", "countapp_store_log_sync_seconds_bucket{le=\"0.005\"} 1");
        }
    }
}
