package countapp.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing a tenant's ids from a real partition of the embedded store, and the figures the partition
 * reports for metrics.
 */
abstract class PartitionIdsTest {
    @TempDir
    Path dir;
    Store store;
    Partition partition;
    final Recorder recorder = new Recorder();

    /** Collects what the store reports to its listener. */
    static final class Recorder implements StoreListener {
        final Map<Integer, PartitionStats> open = new ConcurrentHashMap<>();
        final List<Integer> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void written(long nanos) {
            writes.incrementAndGet();
        }

        @Override
        public void opened(int p, PartitionStats stats) {
            open.put(p, stats);
        }

        @Override
        public void closed(int p, PartitionStats stats) {
            open.remove(p, stats);
            closed.add(p);
        }
    }

    /** A one-partition store of the engine under test, reporting to {@code listener}. */
    abstract Store newStore(Path dir, StoreListener listener);

    /** Whether the engine lists ids in UTF-8 byte order (else in the order they were first added). */
    abstract boolean sorted();

    @BeforeEach
    void open() {
        store = newStore(dir, recorder);
        partition = store.open(0, Duration.ofSeconds(10));
    }

    static final class Log extends PartitionIdsTest {
        @Override
        Store newStore(Path dir, StoreListener listener) {
            return countapp.store.log.LogStore.builder(dir, 1, 1, 2).persistInterval(Duration.ofSeconds(1)).listener(listener)
                    .build();
        }

        @Override
        boolean sorted() {
            return false;
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void add(String tenant, List<String> ids) throws Exception {
        String[] tenants = new String[ids.size()];
        java.util.Arrays.fill(tenants, tenant);
        ItemBatch batch = ItemBatch.of(tenants, ids.toArray(String[]::new));
        partition.add(batch, IntStream.range(0, ids.size()).toArray(), ids.size()).get(10, TimeUnit.SECONDS);
    }

    private List<String> all(String tenant, int chunk) throws Exception {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            IdChunk c = partition.ids(tenant, after, chunk).get(10, TimeUnit.SECONDS);
            assertThat(c.ids().size()).isLessThanOrEqualTo(chunk);
            ids.addAll(c.ids());
            if (c.complete()) {
                return ids;
            }
            after = c.next();
        }
    }

    @Test
    void ids_manyIdsInSmallChunks_everyIdOnceInByteOrder() throws Exception {
        List<String> ids = IntStream.range(0, 2_345).mapToObj(i -> "id-" + i).collect(java.util.stream.Collectors.toList());
        add("acme", ids);

        List<String> listed = all("acme", 100);

        assertThat(listed).hasSize(2_345).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        if (sorted()) {
            assertThat(listed).isSorted();
        } else {
            assertThat(listed).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void ids_tenantsSharingLeadingBytes_listOnlyTheirOwn() throws Exception {
        add("a", List.of("1", "2"));
        add("ab", List.of("x"));
        add("a/b", List.of("y"));

        assertThat(all("a", 1)).containsExactly("1", "2");
        assertThat(all("ab", 10)).containsExactly("x");
        assertThat(all("a/b", 10)).containsExactly("y");
    }

    @Test
    void ids_unknownTenant_oneEmptyCompleteChunk() throws Exception {
        IdChunk c = partition.ids("nobody", null, 10).get(10, TimeUnit.SECONDS);

        assertThat(c.ids()).isEmpty();
        assertThat(c.complete()).isTrue();
        assertThat(c.next()).isNull();
    }

    @Test
    void ids_chunkEndingOnTheLastId_markedComplete() throws Exception {
        add("exact", List.of("a", "b", "c"));

        IdChunk c = partition.ids("exact", null, 3).get(10, TimeUnit.SECONDS);

        assertThat(c.ids()).containsExactly("a", "b", "c");
        assertThat(c.complete()).isTrue();
    }

    @Test
    void ids_unicodeIds_roundTrip() throws Exception {
        add("uni", List.of("ünï", "✓", "a b", "\"quoted\""));

        assertThat(all("uni", 2)).containsExactlyInAnyOrder("ünï", "✓", "a b", "\"quoted\"");
    }

    @Test
    void ids_afterClose_failsWithPartitionClosed() throws Exception {
        partition.close().get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> partition.ids("acme", null, 10).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PartitionClosedException.class);
    }

    @Test
    void listener_openWriteStatsAndClose_reported() throws Exception {
        add("stats", IntStream.range(0, 50).mapToObj(Integer::toString).collect(java.util.stream.Collectors.toList()));
        PartitionStats stats = recorder.open.get(0);

        assertThat(recorder.writes.get()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stats.pairs() == 50);
        assertThat(stats.diskBytes()).as("the pairs are in the log on disk").isPositive();
        partition.close().get(10, TimeUnit.SECONDS);
        assertThat(recorder.closed).containsExactly(0);
        assertThat(recorder.open).isEmpty();
        assertThat(stats.pairs()).as("still readable after the close").isEqualTo(50);
    }
}
