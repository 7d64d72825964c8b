package countapp.metrics;

import countapp.api.Endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {
    @Test
    void new_servedEndpoints_preRegisteredAtZero() {
        try (Metrics metrics = Metrics.create()) {
            new HttpMetrics(metrics.registry(), EnumSet.of(Endpoint.ITEMS, Endpoint.COUNT));

            assertThat(metrics.scrape())
                    .contains("countapp_http_server_requests_seconds_count{endpoint=\"/items\",status=\"200\"} 0")
                    .contains("countapp_http_server_requests_seconds_count{endpoint=\"/items/{tenant}/count\",status=\"200\"} 0")
                    .doesNotContain("endpoint=\"/status\"");
        }
    }

    @Test
    void record_sameEndpointAndStatus_oneTimerCountsAll() {
        try (Metrics metrics = Metrics.create()) {
            HttpMetrics http = new HttpMetrics(metrics.registry(), EnumSet.noneOf(Endpoint.class));

            http.record(Endpoint.ITEMS, 200, TimeUnit.MILLISECONDS.toNanos(3));
            http.record(Endpoint.ITEMS, 200, TimeUnit.MILLISECONDS.toNanos(30));
            http.record(Endpoint.ITEMS, 400, TimeUnit.MILLISECONDS.toNanos(1));

            Timer ok = http.timer(Endpoint.ITEMS, 200);
            assertThat(ok).isSameAs(http.timer(Endpoint.ITEMS, 200));
            assertThat(ok.count()).isEqualTo(2);
            assertThat(http.timer(Endpoint.ITEMS, 400).count()).isEqualTo(1);
        }
    }

    @Test
    void record_latency_exportedAsCumulativeHistogramBuckets() {
        try (Metrics metrics = Metrics.create()) {
            HttpMetrics http = new HttpMetrics(metrics.registry(), EnumSet.noneOf(Endpoint.class));

            http.record(Endpoint.COUNT, 200, TimeUnit.MILLISECONDS.toNanos(3));
            http.record(Endpoint.COUNT, 200, TimeUnit.MILLISECONDS.toNanos(40));

            String series = "countapp_http_server_requests_seconds_bucket{endpoint=\"/items/{tenant}/count\",status=\"200\",";
            assertThat(metrics.scrape()).contains(series + "le=\"0.002\"} 0", series + "le=\"0.005\"} 1",
                    series + "le=\"0.05\"} 2", series + "le=\"+Inf\"} 2");
        }
    }

    @Test
    void record_statusOutOfRange_countedUnderZero() {
        try (Metrics metrics = Metrics.create()) {
            HttpMetrics http = new HttpMetrics(metrics.registry(), EnumSet.noneOf(Endpoint.class));

            http.record(Endpoint.OTHER, 999, 1000);

            assertThat(http.timer(Endpoint.OTHER, 0).count()).isEqualTo(1);
        }
    }
}
