package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.store.Partition;
import countapp.store.WriteBlockedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap nearly full of index refuses writes (507, saying what to do) instead of letting the worker die of
 * OutOfMemoryError and die again on every respawn; counts keep working, and writes resume with room.
 */
class HeapFullTest {
    @TempDir
    Path dir;

    private static long add(Partition p, String tenant, String... ids) throws Exception {
        String[] tenants = new String[ids.length];
        java.util.Arrays.fill(tenants, tenant);
        int[] all = java.util.stream.IntStream.range(0, ids.length).toArray();
        return p.add(ItemBatch.of(tenants, ids), all, ids.length).get(10, TimeUnit.SECONDS);
    }

    @Test
    void add_heapPastTheCeilingAfterCollection_refused507CountsServed_resumesBelowTheResumeMark() throws Exception {
        HeapGuard heap = HeapGuard.manual();
        LogStore store = LogStore.builder(dir, 1, 3, 5).persistInterval(Duration.ofMillis(100)).heap(heap).build();
        try {
            Partition p = store.open(0, Duration.ofSeconds(5));
            assertThat(add(p, "t", "a", "b")).isEqualTo(2);

            heap.afterCollection(86, 100);

            assertThatThrownBy(() -> add(p, "t", "c")).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(WriteBlockedException.class, e -> {
                        assertThat(e.noSpace()).as("final (507), not retried").isTrue();
                        assertThat(e.getMessage()).contains("heap", "86 %", "COUNTAPP_WORKER_JAVA_OPTS");
                    });
            assertThat(p.count("t").get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(store.blockedPartitions()).containsOnlyKeys(0);

            heap.afterCollection(82, 100);
            assertThat(store.blockedPartitions()).as("between the marks: still refusing").containsOnlyKeys(0);

            heap.afterCollection(60, 100);
            assertThat(add(p, "t", "c")).isEqualTo(1);
            assertThat(store.blockedPartitions()).isEmpty();
            assertThat(p.count("t").get(10, TimeUnit.SECONDS)).isEqualTo(3);
        } finally {
            store.close();
        }
    }

    @Test
    void watchingThisJvm_realCollections_neverBlockASmallHeapUse() throws Exception {
        HeapGuard heap = HeapGuard.watchingThisJvm();
        try {
            System.gc(); // a real collection notifies the guard; this test JVM's heap is far from full
            assertThat(heap.full()).isNull();
        } finally {
            heap.close();
        }
    }
}
