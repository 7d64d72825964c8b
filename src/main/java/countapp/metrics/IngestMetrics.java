package countapp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Items through {@code POST /items}: {@code countapp_items_received_total} counts the items of every
 * request that passed validation, {@code countapp_items_added_total} the new (tenant, id) pairs among
 * those acknowledged. Both roles export them; on a worker they count what it stored itself.
 */
public final class IngestMetrics {
    private final Counter received;
    private final Counter added;

    public IngestMetrics(MeterRegistry registry) {
        received = Counter.builder("countapp.items.received")
                .description("items in valid POST /items requests").register(registry);
        added = Counter.builder("countapp.items.added")
                .description("new (tenant, id) pairs acknowledged").register(registry);
    }

    public void received(int items) {
        received.increment(items);
    }

    public void added(long pairs) {
        added.increment((double) pairs);
    }

    public long receivedTotal() {
        return (long) received.count();
    }

    public long addedTotal() {
        return (long) added.count();
    }
}
