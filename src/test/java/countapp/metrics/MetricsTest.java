package countapp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void create_jvmAndProcessBinders_registeredUnderThePrefix() {
        try (Metrics metrics = Metrics.create()) {
            String text = metrics.scrape();

            assertThat(text).contains("countapp_jvm_memory_used_bytes{", "countapp_jvm_gc_", "countapp_jvm_threads_live_threads",
                    "countapp_process_cpu_usage", "countapp_process_uptime_seconds", "countapp_process_files_open_files",
                    "countapp_system_cpu_count");
        }
    }

    @Test
    void scrape_everySample_startsWithCountappPrefix() {
        try (Metrics metrics = Metrics.create()) {
            new IngestMetrics(metrics.registry()).received(3);

            List<String> samples = Arrays.stream(metrics.scrape().split("\n"))
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());

            assertThat(samples).isNotEmpty().allMatch(l -> l.startsWith("countapp_"));
        }
    }

    @Test
    void ingest_receivedAndAdded_countedAsTotals() {
        try (Metrics metrics = Metrics.create()) {
            IngestMetrics ingest = new IngestMetrics(metrics.registry());

            ingest.received(5);
            ingest.received(2);
            ingest.added(4);

            assertThat(ingest.receivedTotal()).isEqualTo(7);
            assertThat(ingest.addedTotal()).isEqualTo(4);
            assertThat(metrics.scrape()).contains("countapp_items_received_total 7.0", "countapp_items_added_total 4.0");
        }
    }

    @Test
    void forward_retriesAndFailures_labelledByOperation() {
        try (Metrics metrics = Metrics.create()) {
            ForwardMetrics forward = new ForwardMetrics(metrics.registry());

            forward.retried(ForwardMetrics.Op.ADD);
            forward.retried(ForwardMetrics.Op.ADD);
            forward.retried(ForwardMetrics.Op.IDS);
            forward.failed(ForwardMetrics.Op.COUNT);

            assertThat(forward.retriesTotal()).isEqualTo(3);
            assertThat(metrics.scrape()).contains("countapp_forward_retries_total{op=\"add\"} 2.0",
                    "countapp_forward_retries_total{op=\"ids\"} 1.0", "countapp_forward_retries_total{op=\"count\"} 0.0",
                    "countapp_forward_failures_total{op=\"count\"} 1.0");
        }
    }
}
