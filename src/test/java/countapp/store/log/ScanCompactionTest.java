package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.store.IdChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, fault 1: a paged scan (tenant erasure, id listing) carries a cursor between chunks while a
 * compaction rewrites the sealed segments. Small segments and a compaction forced between two chunks.
 */
@Timeout(120)
class ScanCompactionTest {
    private static final long SEGMENT_BYTES = 64 << 10;
    private static final int BIG = 50_000;

    @TempDir
    Path root;
    private LogStore store;

    private LogStore open() {
        return LogStore.builder(root, 1, 7, 11).persistInterval(Duration.ofMillis(100)).segmentBytes(SEGMENT_BYTES).build();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** {@code BIG} ids of "big", each batch of 100 beside 100 ids of "other", so both share every segment. */
    private static void fill(LogPartition p) throws Exception {
        for (int from = 0; from < BIG; from += 100) {
            int at = from;
            String[] tenants = new String[200];
            String[] ids = new String[200];
            for (int k = 0; k < 100; k++) {
                tenants[2 * k] = "big";
                ids[2 * k] = "big-id-" + (at + k);
                tenants[2 * k + 1] = "other";
                ids[2 * k + 1] = "other-id-" + (at + k);
            }
            ItemBatch batch = ItemBatch.of(tenants, ids);
            assertThat(await(p.add(batch, IntStream.range(0, 200).toArray(), 200))).isEqualTo(200);
        }
    }

    @Test
    void issue19_eraseTenant_compactionBetweenChunks_erasesEveryPairAlsoAfterRestart() throws Exception {
        store = open();
        LogPartition p = (LogPartition) store.open(0, Duration.ofSeconds(5));
        fill(p);
        assertThat(await(p.eraseTenant("other"))).isEqualTo(BIG); // leaves erased bytes in every segment
        p.erasures.betweenChunks = () -> store.compactErased();

        long erased = await(p.eraseTenant("big"));

        assertThat(erased).isEqualTo(BIG);
        assertThat(await(p.count("big"))).isZero();
        p.erasures.betweenChunks = () -> java.util.concurrent.CompletableFuture.completedFuture(null);
        await(store.compactErased());
        store.close();
        Files.deleteIfExists(root.resolve("0/log/snapshot")); // replay every segment, as after a crash
        store = open();
        LogPartition reopened = (LogPartition) store.open(0, Duration.ofSeconds(5));
        assertThat(await(reopened.count("big"))).isZero();
        assertThat(await(reopened.count("other"))).isZero();
    }

    @Test
    void issue19_ids_compactionBetweenChunks_listsEveryIdOnce() throws Exception {
        store = open();
        LogPartition p = (LogPartition) store.open(0, Duration.ofSeconds(5));
        fill(p);
        assertThat(await(p.eraseTenant("other"))).isEqualTo(BIG);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        boolean compacted = false;
        do {
            IdChunk chunk = await(p.ids("big", cursor, 1000));
            listed.addAll(chunk.ids());
            cursor = chunk.next();
            if (!compacted) {
                await(store.compactErased());
                compacted = true;
            }
        } while (cursor != null);

        Set<String> expected = new HashSet<>(Arrays.asList(IntStream.range(0, BIG).mapToObj(i -> "big-id-" + i)
                .toArray(String[]::new)));
        assertThat(listed).hasSize(BIG);
        assertThat(new HashSet<>(listed)).isEqualTo(expected);
    }
}
