package countapp.placement;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Grouping a batch's items by partition: every item once, in its tenant's partition, batch order kept. */
class ItemGroupsTest {
    @Test
    void of_mixedPartitions_oneGroupPerPartitionAscendingEachInBatchOrder() {
        int[] partitionOf = {3, 0, 3, 7, 0};

        List<ItemGroups.Group> groups = ItemGroups.of(partitionOf, ItemGroups.all(5), 5);

        assertThat(groups).extracting(ItemGroups.Group::partition).containsExactly(0, 3, 7);
        assertThat(groups.get(0).indices()).containsExactly(1, 4);
        assertThat(groups.get(1).indices()).containsExactly(0, 2);
        assertThat(groups.get(2).indices()).containsExactly(3);
    }

    @Test
    void of_subsetOfIndices_groupsOnlyThose() {
        int[] partitionOf = {1, 1, 2, 2};

        List<ItemGroups.Group> groups = ItemGroups.of(partitionOf, new int[] {3, 0, 99}, 2);

        assertThat(groups).extracting(ItemGroups.Group::partition).containsExactly(1, 2);
        assertThat(groups.get(0).indices()).containsExactly(0);
        assertThat(groups.get(1).indices()).containsExactly(3);
    }

    @Test
    void of_randomBatches_everyItemOnceInItsTenantsPartition() {
        Random random = new Random(19);
        Partitioner partitioner = new Partitioner(4096);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(300);
            String[] tenants = new String[n];
            String[] ids = new String[n];
            for (int i = 0; i < n; i++) {
                tenants[i] = "t" + random.nextInt(50);
                ids[i] = "i" + i;
            }
            ItemBatch batch = ItemBatch.of(tenants, ids);

            List<ItemGroups.Group> groups = ItemGroups.of(ItemGroups.partitions(batch, partitioner), ItemGroups.all(n), n);

            List<Integer> seen = new ArrayList<>();
            int last = -1;
            for (ItemGroups.Group g : groups) {
                assertThat(g.partition()).isGreaterThan(last);
                last = g.partition();
                int previous = -1;
                for (int i : g.indices()) {
                    assertThat(partitioner.partitionOf(tenants[i])).isEqualTo(g.partition());
                    assertThat(i).isGreaterThan(previous);
                    previous = i;
                    seen.add(i);
                }
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(() -> java.util.stream.IntStream.range(0, n).iterator());
            assertThat(ItemGroups.items(groups)).isEqualTo(n);
        }
    }
}
