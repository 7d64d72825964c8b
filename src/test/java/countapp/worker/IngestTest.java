package countapp.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.api.ApiException;
import countapp.model.ItemBatch;
import countapp.placement.ItemGroups;
import countapp.placement.Partitioner;
import countapp.store.PartitionClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's one add path, over partitions of a deterministic in-memory store. */
class IngestTest {
    private static final int PARTITIONS = 8;

    private MemoryStore store;
    private PartitionTable table;
    private Ingest ingest;

    @BeforeEach
    void open() throws Exception {
        store = new MemoryStore(PARTITIONS);
        table = new PartitionTable(store, PARTITIONS, Duration.ofMillis(200));
        table.assign(Set.of(0, 1, 2, 3, 4, 5, 6, 7)).get(10, TimeUnit.SECONDS);
        ingest = new Ingest(table);
    }

    @AfterEach
    void close() {
        table.shutdown();
    }

    private static ItemBatch batch(String... tenantAndId) {
        String[] tenants = new String[tenantAndId.length / 2];
        String[] ids = new String[tenants.length];
        for (int i = 0; i < tenants.length; i++) {
            tenants[i] = tenantAndId[2 * i];
            ids[i] = tenantAndId[2 * i + 1];
        }
        return ItemBatch.of(tenants, ids);
    }

    private static int partitionOf(String tenant) {
        return new Partitioner(PARTITIONS).partitionOf(tenant);
    }

    private MemoryStore.MemoryPartition partition(int p) {
        return java.util.Objects.requireNonNull(store.open.get(p));
    }

    @Test
    void add_tenantsOfSeveralPartitions_eachItemStoredInItsTenantsPartitionOnce() {
        ItemBatch b = batch("a", "1", "b", "1", "a", "2", "c", "9", "a", "1");

        long added = ingest.add(b).join();

        assertThat(added).isEqualTo(4);
        for (String tenant : List.of("a", "b", "c")) {
            assertThat(partition(partitionOf(tenant)).adds).flatMap(x -> x).filteredOn(pair -> pair.startsWith(tenant + "/"))
                    .isNotEmpty();
        }
        long stored = store.open.values().stream().flatMap(p -> p.adds.stream()).mapToLong(List::size).sum();
        assertThat(stored).as("items handed to partitions").isEqualTo(5);
        assertThat(store.open.values()).allSatisfy(p -> assertThat(p.adds.size()).as("one add per partition").isLessThanOrEqualTo(1));
    }

    @Test
    void add_groupsFromTheChannel_storedInTheNamedPartitionWithoutRehashing() {
        ItemBatch b = batch("a", "1", "b", "2");
        int elsewhere = (partitionOf("a") + 1) % PARTITIONS; // not where "a" hashes: the sender's word counts

        long added = ingest.add(b, List.of(new ItemGroups.Group(elsewhere, new int[] {0, 1}))).join();

        assertThat(added).isEqualTo(2);
        assertThat(partition(elsewhere).adds).containsExactly(List.of("a/1", "b/2"));
    }

    @Test
    void add_onePartitionNotOpen_failsWith421AndStoresNothingOfTheBatch() throws Exception {
        table.assign(Set.of(0, 1, 2, 3, 4, 5, 6, 7).stream().filter(p -> p != partitionOf("b"))
                .collect(java.util.stream.Collectors.toSet())).get(10, TimeUnit.SECONDS);
        ItemBatch b = batch("a", "1", "b", "1");

        assertThatThrownBy(() -> ingest.add(b).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PartitionClosedException.class);
        assertThat(store.open.values()).allSatisfy(p -> assertThat(p.adds).isEmpty());
    }

    @Test
    void add_groupNamingAPartitionThatDoesNotExist_400AndNothingStored() {
        ItemBatch b = batch("a", "1", "b", "1");

        assertThatThrownBy(() -> ingest.add(b, List.of(new ItemGroups.Group(0, new int[] {0}),
                new ItemGroups.Group(PARTITIONS, new int[] {1}))).join())
                .cause().isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(store.open.values()).allSatisfy(p -> assertThat(p.adds).isEmpty());
    }

    @Test
    void add_emptyBatch_zeroAndNoStoreCall() {
        assertThat(ingest.add(batch()).join()).isZero();
        assertThat(store.open.values()).allSatisfy(p -> assertThat(p.adds).isEmpty());
    }

    @Test
    void owner_tenantOfAClosedPartition_throws421() throws Exception {
        table.assign(Set.of()).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> ingest.owner("a")).isInstanceOf(PartitionClosedException.class);
    }
}
