package countapp.client;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A (tenant, id) pair, as added and as listed. {@code ts}, when set, is when the item happened, which picks the UTC
 * day and month it counts in (the server takes its arrival otherwise); listed items carry none.
 */
public record Item(String id, String tenant, @Nullable Instant ts) {
    public Item {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
    }

    /** An item without a time: it counts at its arrival. */
    public static Item of(String tenant, String id) {
        return new Item(id, tenant, null);
    }

    /** An item that happened at {@code ts} (milliseconds are kept; at most five minutes in the future). */
    public static Item of(String tenant, String id, Instant ts) {
        return new Item(id, tenant, ts);
    }
}
