package countapp.store.log;

import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.TenantCount;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Walks a partition's tenant map (all time) or a window's sets, a chunk per call. Each chunk is read on the
 * partition's {@link WriteLoop}, the owner of the windows' sets; the iterator is used by that thread only.
 */
final class LogCountCursor implements CountCursor {
    private final LogPartition partition;
    private final Map<String, Tenant> tenants;
    private final @Nullable Windows windows;
    private final Window window;
    private @Nullable Iterator<? extends Map.Entry<String, ?>> tenantsLeft;

    private LogCountCursor(LogPartition partition, Map<String, Tenant> tenants, @Nullable Windows windows,
            Window window) {
        this.partition = partition;
        this.tenants = tenants;
        this.windows = windows;
        this.window = window;
    }

    /** A cursor over the window's counts, or one that fails when the window is not kept. */
    static CountCursor of(LogPartition partition, Map<String, Tenant> tenants, @Nullable Windows windows,
            Window window) {
        if (window.unit() != Window.Unit.ALL && windows == null) {
            return max -> CompletableFuture.failedFuture(new IllegalArgumentException(window + " is not kept: "
                    + Windows.describe(countapp.model.Retention.NONE)));
        }
        return new LogCountCursor(partition, tenants, windows, window);
    }

    @Override
    public CompletableFuture<List<TenantCount>> next(int max) {
        return partition.onWriter(() -> {
            Iterator<? extends Map.Entry<String, ?>> it = tenantsLeft;
            if (it == null) {
                it = window.unit() == Window.Unit.ALL ? tenants.entrySet().iterator() : windows.tenants(window);
                tenantsLeft = it;
            }
            List<TenantCount> chunk = new ArrayList<>(Math.min(max, 1024));
            while (chunk.size() < max && it.hasNext()) {
                Map.Entry<String, ?> e = it.next();
                long c = e.getValue() instanceof Tenant
                        ? ((Tenant) e.getValue()).count : ((LongSet) e.getValue()).size();
                if (c > 0) {
                    chunk.add(new TenantCount(e.getKey(), c));
                }
            }
            return chunk;
        });
    }
}
