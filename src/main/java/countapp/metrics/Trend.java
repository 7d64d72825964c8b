package countapp.metrics;

import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The last minutes of ingest, one point per sample: items received and new pairs per second, and the
 * mean and 95th-percentile latency of {@code POST /items}.
 *
 * <p>Kept by the coordinator so a dashboard opened now shows the recent past at once, with rates on the
 * coordinator's clock rather than on each viewer's (a background tab or a headless browser's virtual
 * time would otherwise skew them). The percentile comes from the histogram buckets' growth between two
 * samples, interpolated inside its bucket, as a Prometheus {@code histogram_quantile} would.
 */
public final class Trend {
    private final IngestMetrics ingest;
    private final Timer latency;
    private final int capacity;
    private final LongSupplier nanoClock;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private @Nullable Sample last;

    /** One point of the trend; a latency is null when no request finished in its interval. */
    record Point(long epochMillis, double receivedPerSecond, double addedPerSecond, @Nullable Double p95Millis,
            @Nullable Double meanMillis) {}

    private record Sample(long nanos, long received, long added, HistogramSnapshot latency) {}

    public Trend(IngestMetrics ingest, Timer latency, int capacity, LongSupplier nanoClock) {
        this.ingest = ingest;
        this.latency = latency;
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    /** Takes a sample and, from the second on, appends a point; call it at a steady interval. */
    public synchronized void sample(long epochMillis) {
        Sample now = new Sample(nanoClock.getAsLong(), ingest.receivedTotal(), ingest.addedTotal(), latency.takeSnapshot());
        if (last != null && now.nanos() > last.nanos()) {
            double seconds = (now.nanos() - last.nanos()) / 1e9;
            long requests = now.latency().count() - last.latency().count();
            Double mean = requests == 0 ? null
                    : (now.latency().total(TimeUnit.MILLISECONDS) - last.latency().total(TimeUnit.MILLISECONDS)) / requests;
            points.addLast(new Point(epochMillis, (now.received() - last.received()) / seconds,
                    (now.added() - last.added()) / seconds, percentile(0.95, last.latency(), now.latency()), mean));
            while (points.size() > capacity) {
                points.removeFirst();
            }
        }
        last = now;
    }

    /** The {@code q} quantile in milliseconds of the requests between two cumulative snapshots, or null. */
    static @Nullable Double percentile(double q, HistogramSnapshot before, HistogramSnapshot after) {
        long requests = after.count() - before.count();
        if (requests <= 0) {
            return null;
        }
        CountAtBucket[] was = before.histogramCounts();
        CountAtBucket[] is = after.histogramCounts();
        double target = q * requests;
        double lower = 0;
        double below = 0;
        for (int i = 0; i < is.length; i++) {
            double upper = is[i].bucket(TimeUnit.MILLISECONDS);
            double cumulative = is[i].count() - (i < was.length ? was[i].count() : 0);
            if (cumulative >= target) {
                double inBucket = cumulative - below;
                return lower + (upper - lower) * (inBucket > 0 ? (target - below) / inBucket : 1);
            }
            lower = upper;
            below = cumulative;
        }
        return lower; // beyond the last bucket: its bound is the best estimate there is
    }

    synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** Columns of numbers (nulls where no request finished), oldest first. */
    public synchronized Map<String, Object> toJson() {
        List<Object> times = new ArrayList<>();
        List<Object> received = new ArrayList<>();
        List<Object> added = new ArrayList<>();
        List<Object> p95 = new ArrayList<>();
        List<Object> mean = new ArrayList<>();
        for (Point p : points) {
            times.add(p.epochMillis());
            received.add(round(p.receivedPerSecond()));
            added.add(round(p.addedPerSecond()));
            p95.add(p.p95Millis() == null ? null : round(p.p95Millis()));
            mean.add(p.meanMillis() == null ? null : round(p.meanMillis()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_ms", times);
        m.put("received_per_s", received);
        m.put("added_per_s", added);
        m.put("post_p95_ms", p95);
        m.put("post_mean_ms", mean);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
