package countapp.worker;

import countapp.model.ItemBatch;
import countapp.placement.Partitioner;
import countapp.store.Partition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Adds a batch to the partitions its tenants belong to: the one add path of a worker, for the channel and
 * for {@code POST /items} alike. Every partition the batch touches must be open here, checked before
 * anything is written, so "not the owner" (421) never leaves half a batch behind.
 */
final class Ingest {
    private final PartitionTable table;
    private final Partitioner partitioner;

    Ingest(PartitionTable table) {
        this.table = table;
        this.partitioner = new Partitioner(table.partitions());
    }

    int partitionOf(String tenant) {
        return partitioner.partitionOf(tenant);
    }

    /** The open partition of a tenant, or a {@code PartitionClosedException} thrown. */
    Partition owner(String tenant) {
        return table.active(partitionOf(tenant));
    }

    /** Completes with the number of new pairs once every part is stored; fails at once when a partition is not here. */
    CompletableFuture<Long> add(ItemBatch batch) {
        int n = batch.size();
        if (n == 0) {
            return CompletableFuture.completedFuture(0L);
        }
        int[] partitionOf = new int[n];
        Partition[] targets = new Partition[table.partitions()];
        int[] sizes = new int[table.partitions()];
        int distinct = 0;
        String lastTenant = null;
        int lastPartition = -1;
        for (int i = 0; i < n; i++) {
            String tenant = batch.tenant(i);
            @SuppressWarnings("ReferenceEquality") // a cache hit when the parser shared one tenant String
            boolean sameTenant = tenant == lastTenant;
            int p = sameTenant ? lastPartition : partitioner.partitionOf(tenant);
            lastTenant = tenant;
            lastPartition = p;
            partitionOf[i] = p;
            if (targets[p] == null) {
                try {
                    targets[p] = table.active(p);
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
                distinct++;
            }
            sizes[p]++;
        }
        if (distinct == 1) { // the common case: one partition, every index
            int p = partitionOf[0];
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return targets[p].add(batch, all, n);
        }
        int[][] indices = new int[targets.length][];
        int[] fill = new int[targets.length];
        for (int i = 0; i < n; i++) {
            int p = partitionOf[i];
            if (indices[p] == null) {
                indices[p] = new int[sizes[p]];
            }
            indices[p][fill[p]++] = i;
        }
        List<CompletableFuture<Long>> parts = new ArrayList<>(distinct);
        for (int p = 0; p < targets.length; p++) {
            if (indices[p] != null) {
                parts.add(targets[p].add(batch, indices[p], sizes[p]));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long added = 0;
            for (CompletableFuture<Long> part : parts) {
                added += part.join();
            }
            return added;
        });
    }
}
