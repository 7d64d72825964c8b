package countapp.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Walks every tenant of a partition that has a count above zero in one window, a chunk at a time, so an
 * export of any number of tenants holds one chunk in memory. Each tenant whose count is above zero for the
 * whole walk appears exactly once; one added or erased meanwhile may or may not. Not thread-safe: one
 * caller, one {@link #next} at a time.
 */
public interface CountCursor {
    /** Up to {@code max} tenants with their counts; an empty list once every tenant was returned. */
    CompletableFuture<List<TenantCount>> next(int max);
}
