package countapp.store;

import static countapp.store.StoreFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.log.LogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasure reaches the disk: after a compaction no file of the partition holds an erased id's bytes. */
class CompactionTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final int TODAY = Window.dayOfMillis(NOW.toEpochMilli());

    @TempDir
    Path root;
    LogStore store;

    LogStore open() {
        return LogStore.builder(root, 1, 3, 4).persistInterval(Duration.ofMillis(100))
                .windows(new Retention(35, 13), new MutableClock(NOW)).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ItemBatch items(String tenant, String... ids) {
        String[] tenants = new String[ids.length];
        int[] days = new int[ids.length];
        java.util.Arrays.fill(tenants, tenant);
        java.util.Arrays.fill(days, TODAY);
        return ItemBatch.of(tenants, ids, days);
    }

    @Test
    void compactErased_afterPairAndTenantErasures_noFileHoldsTheirBytes_countsAndIdsUnchanged() throws Exception {
        store = open();
        Partition p = store.open(0, StoreFixtures.OPEN_TIMEOUT);
        StoreFixtures.add(p, items("keep", "kept-1", "kept-2"));
        StoreFixtures.add(p, items("alice-corp", "erased-person-1", "kept-3"));
        StoreFixtures.add(p, items("leaving-corp", "leaving-user-1", "leaving-user-2"));
        StoreFixtures.add(p, items("alice-corp", "erased-person-1")); // a duplicate: the log holds it once
        assertThat(await(p.erase("alice-corp", "erased-person-1"))).isEqualTo(1);
        assertThat(await(p.eraseTenant("leaving-corp"))).isEqualTo(2);
        assertThat(bytesOnDisk()).contains("erased-person-1", "leaving-user-1");

        await(store.compactErased());

        String disk = bytesOnDisk();
        assertThat(disk).doesNotContain("erased-person-1").doesNotContain("leaving-user");
        // Window logs name tenants beside keyed fingerprints (no id) and go with the retention; the log names
        // an erased tenant nowhere.
        assertThat(logSegments()).doesNotContain("leaving-corp");
        assertThat(disk).contains("kept-1", "kept-2", "kept-3");
        assertThat(root.resolve("0/log/compaction-needed")).doesNotExist();
        assertThat(StoreFixtures.count(p, "alice-corp")).isEqualTo(1);
        assertThat(LogStoreWindowsTest.ids(p, "keep")).containsExactlyInAnyOrder("kept-1", "kept-2");

        // Re-adding an erased pair after the compaction counts it again, and a full replay agrees.
        StoreFixtures.add(p, items("alice-corp", "erased-person-1"));
        store.close();
        Files.deleteIfExists(root.resolve("0/log/snapshot")); // as after a crash: replay every segment
        store = open();
        Partition reopened = store.open(0, StoreFixtures.OPEN_TIMEOUT);
        assertThat(StoreFixtures.count(reopened, "alice-corp")).isEqualTo(2);
        assertThat(StoreFixtures.count(reopened, "leaving-corp")).isZero();
        assertThat(StoreFixtures.count(reopened, "keep")).isEqualTo(2);
        assertThat(await(reopened.count("alice-corp", Window.day(TODAY)))).isEqualTo(2);
        assertThat(LogStoreWindowsTest.ids(reopened, "alice-corp")).containsExactlyInAnyOrder("kept-3", "erased-person-1");
    }

    @Test
    void compactErased_whileAddsAndErasuresGoOn_aFullReplayEndsInTheSamePairs() throws Exception {
        store = open();
        Partition p = store.open(0, StoreFixtures.OPEN_TIMEOUT);
        java.util.Random random = new java.util.Random(7);
        java.util.Map<String, java.util.Set<String>> model = new java.util.HashMap<>();
        for (int round = 0; round < 30; round++) {
            java.util.concurrent.CompletableFuture<Void> compaction = store.compactErased();
            for (int op = 0; op < 300; op++) {
                String tenant = "t" + random.nextInt(4);
                String id = "id-" + random.nextInt(50);
                java.util.Set<String> ids = model.computeIfAbsent(tenant, t -> new java.util.HashSet<>());
                if (random.nextInt(3) == 0) {
                    assertThat(await(p.erase(tenant, id))).isEqualTo(ids.remove(id) ? 1 : 0);
                } else {
                    assertThat(StoreFixtures.add(p, items(tenant, id))).isEqualTo(ids.add(id) ? 1 : 0);
                }
            }
            await(compaction);
        }
        await(store.compactErased());
        store.close();
        Files.deleteIfExists(root.resolve("0/log/snapshot"));
        store = open();
        Partition reopened = store.open(0, StoreFixtures.OPEN_TIMEOUT);
        for (java.util.Map.Entry<String, java.util.Set<String>> e : model.entrySet()) {
            assertThat(StoreFixtures.count(reopened, e.getKey())).as(e.getKey()).isEqualTo(e.getValue().size());
            // As a set: a pair erased and added again while a compaction ran may be listed twice (see Compactor).
            assertThat(new java.util.HashSet<>(LogStoreWindowsTest.ids(reopened, e.getKey()))).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void compactErased_nothingErased_leavesTheLogAsItWas() throws Exception {
        store = open();
        Partition p = store.open(0, StoreFixtures.OPEN_TIMEOUT);
        StoreFixtures.add(p, items("t", "a", "b"));
        List<Path> before = files();
        await(store.compactErased());
        assertThat(files()).isEqualTo(before);
    }

    private String logSegments() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path f : files()) {
            if (f.getParent().equals(root.resolve("0/log")) && f.toString().endsWith(".log")) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Every byte of every file under the database, as Latin-1 text (so any id shows as itself). */
    private String bytesOnDisk() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path f : files()) {
            all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }
}
