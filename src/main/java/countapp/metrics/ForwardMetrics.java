package countapp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The coordinator's forwarding to workers: {@code countapp_forward_retries_total{op}} counts re-sends after
 * a worker failed, moved a partition or was busy; {@code countapp_forward_failures_total{op}} the requests
 * that found no worker before their deadline (answered 503).
 */
public final class ForwardMetrics {
    /** What was forwarded. */
    public enum Op { ADD, COUNT, IDS, ERASE, EXPORT }

    private final Map<Op, Counter> retries = new EnumMap<>(Op.class);
    private final Map<Op, Counter> failures = new EnumMap<>(Op.class);

    public ForwardMetrics(MeterRegistry registry) {
        for (Op op : Op.values()) {
            String tag = op.name().toLowerCase(java.util.Locale.ROOT);
            retries.put(op, Counter.builder("countapp.forward.retries").tag("op", tag)
                    .description("requests to workers sent again after a failure").register(registry));
            failures.put(op, Counter.builder("countapp.forward.failures").tag("op", tag)
                    .description("requests no worker could serve before the deadline").register(registry));
        }
    }

    public void retried(Op op) {
        java.util.Objects.requireNonNull(retries.get(op)).increment(); // every Op is registered
    }

    public void failed(Op op) {
        java.util.Objects.requireNonNull(failures.get(op)).increment();
    }

    public long retriesTotal() {
        long sum = 0;
        for (Counter c : retries.values()) {
            sum += (long) c.count();
        }
        return sum;
    }
}
