package countapp.store;

import countapp.model.ItemBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shared helpers of the store tests: building stores and batches, waiting for futures.
 */
public final class StoreFixtures {
    /** Partition count the stores of the tests are created with (it only paces the log syncer). */
    static final int PARTITIONS = 16;
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(5);

    private StoreFixtures() {}

    /** A log store with a fixed hash key, so every test run (and a crashed child's reopening) agrees. */
    static countapp.store.log.LogStore newLogStore(Path root, Duration persistInterval) {
        return countapp.store.log.LogStore.builder(root, PARTITIONS, 0x0123456789abcdefL, 0x0fedcba987654321L)
                .persistInterval(persistInterval).build();
    }

    /** A batch of (tenant, id) pairs given as alternating arguments. */
    public static ItemBatch batch(String... tenantIdPairs) {
        if (tenantIdPairs.length % 2 != 0) {
            throw new IllegalArgumentException("need tenant, id pairs");
        }
        int n = tenantIdPairs.length / 2;
        String[] tenants = new String[n];
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = tenantIdPairs[2 * i];
            ids[i] = tenantIdPairs[2 * i + 1];
        }
        return ItemBatch.of(tenants, ids);
    }

    static ItemBatch batch(List<String> tenants, List<String> ids) {
        return ItemBatch.of(tenants.toArray(String[]::new), ids.toArray(String[]::new));
    }

    public static int[] all(ItemBatch batch) {
        int[] indices = new int[batch.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        return indices;
    }

    public static CompletableFuture<Long> addAsync(Partition p, ItemBatch batch) {
        return p.add(batch, all(batch), batch.size());
    }

    public static long add(Partition p, ItemBatch batch) {
        return await(addAsync(p, batch));
    }

    public static long count(Partition p, String tenant) {
        return await(p.count(tenant));
    }

    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within 30 s", e);
        }
    }
}
