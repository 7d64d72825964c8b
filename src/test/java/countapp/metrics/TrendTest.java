package countapp.metrics;

import countapp.api.Endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrendTest {
    private final AtomicLong clock = new AtomicLong();

    @Test
    void sample_twoSamplesApart_ratesOnTheSamplersClock() {
        try (Metrics metrics = Metrics.create()) {
            IngestMetrics ingest = new IngestMetrics(metrics.registry());
            Timer latency = new HttpMetrics(metrics.registry(), java.util.Set.of()).timer(Endpoint.ITEMS, 200);
            Trend trend = new Trend(ingest, latency, 10, clock::get);

            trend.sample(1_000);
            ingest.received(500);
            ingest.added(100);
            clock.set(TimeUnit.MILLISECONDS.toNanos(2_000));
            trend.sample(3_000);

            assertThat(trend.points()).containsExactly(new Trend.Point(3_000, 250.0, 50.0, null, null));
        }
    }

    @Test
    void sample_requestsInTheInterval_meanAndP95FromBucketGrowth() {
        try (Metrics metrics = Metrics.create()) {
            IngestMetrics ingest = new IngestMetrics(metrics.registry());
            Timer latency = new HttpMetrics(metrics.registry(), java.util.Set.of()).timer(Endpoint.ITEMS, 200);
            latency.record(900, TimeUnit.MILLISECONDS); // before the first sample: not in the interval
            Trend trend = new Trend(ingest, latency, 10, clock::get);
            trend.sample(0);
            for (int i = 0; i < 19; i++) {
                latency.record(3, TimeUnit.MILLISECONDS); // bucket (2, 5] ms
            }
            latency.record(40, TimeUnit.MILLISECONDS); // bucket (25, 50] ms
            clock.set(1_000_000_000L);

            trend.sample(1_000);

            Trend.Point p = trend.points().get(0);
            assertThat(p.meanMillis()).isCloseTo((19 * 3 + 40) / 20.0, org.assertj.core.data.Offset.offset(0.01));
            // 95% of 20 = 19 requests, all within (2, 5] ms: the estimate is that bucket's upper bound.
            assertThat(p.p95Millis()).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void sample_beyondCapacity_keepsTheNewestPoints() {
        try (Metrics metrics = Metrics.create()) {
            IngestMetrics ingest = new IngestMetrics(metrics.registry());
            Trend trend = new Trend(ingest, new HttpMetrics(metrics.registry(), java.util.Set.of()).timer(Endpoint.ITEMS, 200),
                    3, clock::get);

            for (int s = 0; s <= 5; s++) {
                clock.set(s * 1_000_000_000L);
                ingest.received(s);
                trend.sample(s * 1000L);
            }

            Map<String, Object> json = trend.toJson();
            assertThat(json.get("time_ms")).isEqualTo(List.of(3000L, 4000L, 5000L));
            assertThat(json.get("received_per_s")).isEqualTo(List.of(3.0, 4.0, 5.0));
            assertThat((List<?>) json.get("post_p95_ms")).containsOnlyNulls();
        }
    }
}
