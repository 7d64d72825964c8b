package countapp.worker;

import countapp.api.ApiException;
import countapp.model.ItemBatch;
import countapp.placement.ItemGroups;
import countapp.placement.Partitioner;
import countapp.store.Partition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Adds a batch to the partitions its tenants belong to: the one add path of a worker, for the channel and
 * for {@code POST /items} alike. Items come grouped by partition: from the channel as the coordinator
 * grouped them (no second hash here), from a direct POST grouped here. Every partition the batch touches
 * must be open here, checked before anything is written, so "not the owner" (421) never leaves half a
 * batch behind. Nothing allocated per add grows with the partition count.
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

    /** Adds a batch sent straight to this worker: its items are grouped by partition here. */
    CompletableFuture<Long> add(ItemBatch batch) {
        int n = batch.size();
        return add(batch, ItemGroups.of(ItemGroups.partitions(batch, partitioner), ItemGroups.all(n), n));
    }

    /**
     * Adds each group of {@code batch}'s items to the partition it names. Completes with the number of new
     * pairs once every group is stored; fails at once, storing nothing, when a partition is not open here
     * (421) or does not exist (400).
     */
    CompletableFuture<Long> add(ItemBatch batch, List<ItemGroups.Group> groups) {
        if (groups.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        Partition[] targets = new Partition[groups.size()];
        try {
            for (int g = 0; g < targets.length; g++) {
                int p = groups.get(g).partition();
                if (p < 0 || p >= table.partitions()) {
                    throw new ApiException(400, "partition " + p + " does not exist (0.." + (table.partitions() - 1) + ")");
                }
                targets[g] = table.active(p);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (targets.length == 1) { // the common case: one partition
            ItemGroups.Group only = groups.get(0);
            return targets[0].add(batch, only.indices(), only.size());
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Long>[] parts = new CompletableFuture[targets.length];
        for (int g = 0; g < targets.length; g++) {
            ItemGroups.Group group = groups.get(g);
            parts[g] = targets[g].add(batch, group.indices(), group.size());
        }
        return CompletableFuture.allOf(parts).thenApply(v -> {
            long added = 0;
            for (CompletableFuture<Long> part : parts) {
                added += part.join();
            }
            return added;
        });
    }
}
