package countapp.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Items of a batch grouped by partition: what the coordinator sends and the worker stores, one group per
 * partition. Grouping sorts item indices by partition rather than counting per partition, so its memory
 * grows with the items of the batch and never with the partition count.
 */
public final class ItemGroups {
    /**
     * The items at {@code indices} (indices into a batch) that belong to {@code partition}.
     *
     * @param indices the items, in batch order; never changed once built
     */
    public record Group(int partition, int[] indices) {
        public int size() {
            return indices.length;
        }
    }

    /**
     * Groups the items {@code indices[0..count)}, item {@code i} belonging to partition {@code partitionOf[i]}:
     * one group per partition, in ascending partition order, each group's items in batch order.
     */
    public static List<Group> of(int[] partitionOf, int[] indices, int count) {
        if (count == 0) {
            return List.of();
        }
        int first = partitionOf[indices[0]];
        boolean one = true;
        for (int k = 1; k < count && one; k++) {
            one = partitionOf[indices[k]] == first;
        }
        if (one) { // the common case: a single item, or one tenant's items
            return List.of(new Group(first, count == indices.length ? indices : Arrays.copyOf(indices, count)));
        }
        long[] keys = new long[count];
        for (int k = 0; k < count; k++) {
            keys[k] = (long) partitionOf[indices[k]] << 32 | indices[k];
        }
        Arrays.sort(keys);
        List<Group> groups = new ArrayList<>();
        int start = 0;
        for (int k = 1; k <= count; k++) {
            if (k == count || keys[k] >>> 32 != keys[start] >>> 32) {
                int[] members = new int[k - start];
                for (int m = 0; m < members.length; m++) {
                    members[m] = (int) keys[start + m];
                }
                groups.add(new Group((int) (keys[start] >>> 32), members));
                start = k;
            }
        }
        return groups;
    }

    /** Each item's partition; a tenant String shared by consecutive items (as parsers share them) is hashed once. */
    public static int[] partitions(countapp.model.ItemBatch batch, Partitioner partitioner) {
        int n = batch.size();
        int[] partitionOf = new int[n];
        String lastTenant = null;
        int lastPartition = -1;
        for (int i = 0; i < n; i++) {
            String tenant = batch.tenant(i);
            @SuppressWarnings("ReferenceEquality") // a cache hit when the parser shared one tenant String
            boolean sameTenant = tenant == lastTenant;
            lastPartition = sameTenant ? lastPartition : partitioner.partitionOf(tenant);
            lastTenant = tenant;
            partitionOf[i] = lastPartition;
        }
        return partitionOf;
    }

    /** The indices 0..n-1: every item of a batch of n. */
    public static int[] all(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /** The number of items in {@code groups}. */
    public static int items(List<Group> groups) {
        int n = 0;
        for (Group g : groups) {
            n += g.size();
        }
        return n;
    }

    private ItemGroups() {}
}
