package countapp.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.store.PartitionClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's partitions and their lifecycle, over a deterministic in-memory store. */
class PartitionTableTest {
    private MemoryStore store;
    private PartitionTable table;

    @BeforeEach
    void open() {
        store = new MemoryStore(6);
        table = new PartitionTable(store, 6, Duration.ofMillis(200));
    }

    @AfterEach
    void close() {
        table.shutdown();
    }

    private Set<Integer> assign(Integer... partitions) throws Exception {
        return table.assign(Set.of(partitions)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void assign_opensTheWantedAndServesThem() throws Exception {
        assertThat(assign(1, 4)).containsExactly(1, 4);

        assertThat(table.owned()).containsExactly(1, 4);
        assertThat(table.active(4).id()).isEqualTo(4);
        assertThatThrownBy(() -> table.active(2)).isInstanceOf(PartitionClosedException.class);
    }

    @Test
    void assign_newSet_closesTheOthersBeforeOpeningNewOnes() throws Exception {
        assign(1, 4);

        assertThat(assign(4, 5)).containsExactly(4, 5);

        assertThat(store.closed).containsExactly(1);
        assertThat(store.opened).containsExactly(1, 4, 5);
        assertThatThrownBy(() -> table.active(1)).isInstanceOf(PartitionClosedException.class);
    }

    @Test
    void assign_partitionOutOfRange_refusedAndNothingChanges() throws Exception {
        assign(0);

        assertThatThrownBy(() -> table.assign(Set.of(0, 6)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition 6 does not exist");
        assertThat(table.owned()).containsExactly(0);
    }

    @Test
    void assign_oneCannotOpen_othersOpenAndItIsRetriedNextTime() throws Exception {
        store.refuse.add(2);

        assertThatThrownBy(() -> table.assign(Set.of(2, 3)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("partition 2 cannot be opened");
        assertThat(table.owned()).containsExactly(3);
        store.refuse.clear();

        assertThat(assign(2, 3)).containsExactly(2, 3);
    }

    @Test
    void releaseAll_closesEveryPartition() throws Exception {
        assign(0, 1, 2);

        table.releaseAll().get(10, TimeUnit.SECONDS);

        assertThat(table.owned()).isEmpty();
        assertThat(store.closed).containsExactlyInAnyOrderElementsOf(List.of(0, 1, 2));
    }
}
