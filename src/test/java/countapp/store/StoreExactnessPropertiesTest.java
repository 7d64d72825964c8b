package countapp.store;

import static countapp.store.StoreFixtures.OPEN_TIMEOUT;
import static countapp.store.StoreFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Exactness against a model: whatever mix of duplicates, tenants and add calls, every tenant's count is the
 * number of distinct ids the model holds for it, and the adds report exactly the new pairs.
 *
 * <p>One store per property. Tries share one open partition but each uses its own tenant namespace (a
 * try-number prefix), so no try sees another's data and no try pays for opening a partition; the reopen
 * property uses a fresh partition per try.
 */
class StoreExactnessPropertiesTest {
    /** Includes tenants whose concatenation with an id collides ("a"+"bc" = "ab"+"c"), unicode and a long one. */
    static final List<String> TENANTS = List.of("a", "ab", "😀", "a/b €", "T".repeat(130));
    static final List<String> IDS = List.of("1", "2", "3", "c", "bc", "€", "😀", "10", " ");

    record Item(String tenant, String id) {}

    private Path root;
    private Store store;
    private Partition shared;
    private int tries;

    @BeforeProperty
    void openStore() throws IOException {
        root = Files.createTempDirectory("store-exactness");
        store = StoreFixtures.newLogStore(root, Duration.ofMillis(200));
        shared = store.open(0, OPEN_TIMEOUT);
    }

    @AfterProperty
    void closeStore() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Provide
    Arbitrary<List<List<Item>>> batches() {
        Arbitrary<Item> item = Combinators.combine(Arbitraries.of(TENANTS), Arbitraries.of(IDS)).as(Item::new);
        return item.list().ofMaxSize(40).list().ofMinSize(1).ofMaxSize(8);
    }

    /** The batch with every tenant moved into {@code namespace}. */
    private static ItemBatch toBatch(String namespace, List<Item> items) {
        return ItemBatch.of(items.stream().map(it -> namespace + it.tenant()).toArray(String[]::new),
                items.stream().map(Item::id).toArray(String[]::new));
    }

    /** Indices of every item, in reverse order: the partition must honour the index array, not the order. */
    private static int[] reversedIndices(int size) {
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = size - 1 - i;
        }
        return indices;
    }

    private static CompletableFuture<Long> add(Partition p, String namespace, List<Item> items) {
        return p.add(toBatch(namespace, items), reversedIndices(items.size()), items.size());
    }

    private static boolean record(Map<String, Set<String>> model, Item item) {
        return model.computeIfAbsent(item.tenant(), t -> new HashSet<>()).add(item.id());
    }

    private static void assertCountsMatch(Partition p, String namespace, Map<String, Set<String>> model) {
        for (String tenant : TENANTS) {
            long expected = model.getOrDefault(tenant, Set.of()).size();
            assertThat(await(p.count(namespace + tenant))).as("count of %s", tenant).isEqualTo(expected);
        }
    }

    private static long distinct(Map<String, Set<String>> model) {
        return model.values().stream().mapToLong(Set::size).sum();
    }

    @Property(tries = 100)
    void add_sequentialBatches_eachReportsItsNewPairsAndCountsMatchModel(@ForAll("batches") List<List<Item>> batches) {
        String namespace = (tries++) + "|";
        Map<String, Set<String>> model = new HashMap<>();

        for (List<Item> items : batches) {
            long expectedNew = items.stream().filter(it -> record(model, it)).count();
            long added = await(add(shared, namespace, items));
            assertThat(added).as("added by %s", items).isEqualTo(expectedNew);
        }

        assertCountsMatch(shared, namespace, model);
    }

    @Property(tries = 100)
    void add_concurrentBatches_totalAddedAndCountsMatchModel(@ForAll("batches") List<List<Item>> batches) {
        String namespace = (tries++) + "|";
        Map<String, Set<String>> model = new HashMap<>();

        List<CompletableFuture<Long>> pending = new ArrayList<>();
        for (List<Item> items : batches) {
            items.forEach(it -> record(model, it));
            pending.add(add(shared, namespace, items));
        }
        long added = 0;
        for (CompletableFuture<Long> f : pending) {
            added += await(f);
        }

        assertThat(added).isEqualTo(distinct(model));
        assertCountsMatch(shared, namespace, model);
    }

    @Property(tries = 15)
    void open_afterCloseOfRandomBatches_countsMatchModel(@ForAll("batches") List<List<Item>> batches) {
        int partition = 1 + tries++;
        Map<String, Set<String>> model = new HashMap<>();
        Partition p = store.open(partition, OPEN_TIMEOUT);
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        for (List<Item> items : batches) {
            items.forEach(it -> record(model, it));
            pending.add(add(p, "", items));
        }
        await(p.close());
        long added = 0;
        for (CompletableFuture<Long> f : pending) {
            added += await(f);
        }

        Partition reopened = store.open(partition, OPEN_TIMEOUT);
        try {
            assertThat(added).isEqualTo(distinct(model));
            assertCountsMatch(reopened, "", model);
        } finally {
            await(reopened.close());
        }
    }
}
