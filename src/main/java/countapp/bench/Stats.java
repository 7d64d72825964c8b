package countapp.bench;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** Counters and the latency recorder shared by every lane; all of it safe to update from any thread. */
final class Stats {
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final int MAX_SAMPLES = 10;

    /** Latency in microseconds of measured requests (after the warm-up). */
    final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    /** Measured successful requests and the items they carried. */
    final LongAdder requests = new LongAdder();
    final LongAdder items = new LongAdder();
    /** Requests the server refused as overloaded (503 with Retry-After), and how fast it refused them. */
    final LongAdder refused = new LongAdder();
    final Recorder refusedLatency = new Recorder(HIGHEST_MICROS, 3);
    /** Every failed request of the run (warm-up, seeding and measurement alike). */
    final LongAdder errors = new LongAdder();
    /** Every request completed, successful or not, for the progress line. */
    final LongAdder completed = new LongAdder();
    final LongAdder completedItems = new LongAdder();
    /** Sum of the {@code added} fields of every successful POST. */
    final LongAdder added = new LongAdder();
    private final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sampled = new AtomicInteger();

    void recordLatency(long nanos) {
        latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    void refused(long nanos) {
        refused.increment();
        refusedLatency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    void error(String what) {
        errors.increment();
        if (sampled.getAndIncrement() < MAX_SAMPLES) {
            errorSamples.add(what);
        }
    }

    Iterable<String> errorSamples() {
        return errorSamples;
    }
}
