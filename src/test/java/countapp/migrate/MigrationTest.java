package countapp.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.store.DatabaseMeta;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.StoreException;
import countapp.store.log.LogStore;
import countapp.placement.Partitioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countapp migrate}'s conversion of real format-1 folders (written with RocksDB) to the log store. */
class MigrationTest {
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;
    final List<String> progress = new ArrayList<>();

    /** Tenants whose bytes need care (separators, a long name, non-ASCII), some with thousands of ids. */
    static Map<String, List<String>> sample() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put("acme", range("u-", 5_000));
        ids.put("a/b", range("", 3));
        ids.put("ab", List.of("\u0001bc", "c", "a/b"));
        ids.put("😀 café", range("é", 700));
        ids.put("x".repeat(300), range("id-", 9_000));
        ids.put("one", List.of("only"));
        return ids;
    }

    static List<String> range(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    @Test
    void issue19_format1Folder_refusedAtOpenNamingMigrate() throws Exception {
        Path db = dir.resolve("db");
        Format1Fixture.write(db, PARTITIONS, sample());

        assertThatThrownBy(() -> DatabaseMeta.loadOrCreate(db, PARTITIONS)).isInstanceOf(StoreException.class)
                .hasMessageContaining("format 1").hasMessageContaining("countapp migrate " + db);
        assertThat(Files.readString(db.resolve(DatabaseMeta.FILE))).contains("format=1");
    }

    @Test
    void run_format1Folder_everyPairConvertedAndOriginalKept() throws Exception {
        Path db = dir.resolve("db");
        Map<String, List<String>> sent = sample();
        Format1Fixture.write(db, PARTITIONS, sent);

        Migration.Result r = Migration.run(db, progress::add);

        long pairs = sent.values().stream().mapToLong(List::size).sum();
        assertThat(r.pairs()).isEqualTo(pairs);
        assertThat(r.tenants()).isEqualTo(sent.size());
        assertThat(r.original()).isEqualTo(dir.resolve("db.format1").toAbsolutePath());
        assertThat(DatabaseMeta.format(r.original())).isEqualTo(DatabaseMeta.FORMAT_1);
        assertThat(Files.exists(dir.resolve("db.migrating"))).isFalse();
        DatabaseMeta meta = DatabaseMeta.load(db);
        assertThat(meta.partitions()).isEqualTo(PARTITIONS);
        try (LogStore store = LogStore.builder(db, PARTITIONS, meta.hashKey0(), meta.hashKey1())
                .persistInterval(Duration.ofSeconds(1)).build()) {
            Partitioner partitioner = new Partitioner(PARTITIONS);
            for (Map.Entry<String, List<String>> e : sent.entrySet()) {
                Partition p = store.open(partitioner.partitionOf(e.getKey()), Duration.ofSeconds(10));
                assertThat(p.count(e.getKey()).get(10, TimeUnit.SECONDS)).as(e.getKey()).isEqualTo(e.getValue().size());
                assertThat(ids(p, e.getKey())).as(e.getKey()).isEqualTo(new HashSet<>(e.getValue()));
            }
            // The converted pairs are known: sending them again adds nothing, a new one is new.
            Partition acme = store.open(partitioner.partitionOf("acme"), Duration.ofSeconds(10));
            ItemBatch again = ItemBatch.of(new String[] {"acme", "acme"}, new String[] {"u-17", "u-new"});
            assertThat(acme.add(again, new int[] {0, 1}, 2).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(progress).anyMatch(l -> l.contains("converted and checked"));
    }

    @Test
    void run_storedCountDisagreesWithPairs_refusedAndFolderUnchanged() throws Exception {
        Path db = dir.resolve("db");
        Format1Fixture.write(db, PARTITIONS, sample());
        Format1Fixture.storeCount(db, PARTITIONS, "acme", 4_999);

        assertThatThrownBy(() -> Migration.run(db, progress::add)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("inconsistent").hasMessageContaining("nothing was changed in " + db.toAbsolutePath());

        assertThat(DatabaseMeta.format(db)).isEqualTo(DatabaseMeta.FORMAT_1);
        assertThat(Files.exists(dir.resolve("db.migrating"))).as("the partial copy is removed").isFalse();
        assertThat(Files.exists(dir.resolve("db.format1"))).isFalse();
    }

    @Test
    void run_logFormatFolder_nothingToConvertAndNothingChanged() throws Exception {
        Path db = dir.resolve("db");
        DatabaseMeta.loadOrCreate(db, PARTITIONS);
        String meta = Files.readString(db.resolve(DatabaseMeta.FILE));

        Migration.Result r = Migration.run(db, progress::add);

        assertThat(r.original()).isNull();
        assertThat(Files.readString(db.resolve(DatabaseMeta.FILE))).isEqualTo(meta);
        assertThat(progress).anyMatch(l -> l.contains("already in the log store's format"));
    }

    @Test
    void run_originalOfAnEarlierConversionInTheWay_refusedAndFolderUnchanged() throws Exception {
        Path db = dir.resolve("db");
        Format1Fixture.write(db, PARTITIONS, sample());
        Files.createDirectories(dir.resolve("db.format1"));

        assertThatThrownBy(() -> Migration.run(db, progress::add)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("db.format1 already exists");

        assertThat(DatabaseMeta.format(db)).isEqualTo(DatabaseMeta.FORMAT_1);
    }

    @Test
    void run_interruptedBeforeTheSwap_startsOverAndConverts() throws Exception {
        Path db = dir.resolve("db");
        Format1Fixture.write(db, PARTITIONS, sample());
        // What a run killed mid-copy leaves: a log-format folder with part of the pairs.
        Path staging = dir.resolve("db.migrating");
        DatabaseMeta.loadOrCreate(staging, PARTITIONS);
        Files.createDirectories(staging.resolve("0").resolve("log"));

        Migration.Result r = Migration.run(db, progress::add);

        assertThat(r.pairs()).isEqualTo(sample().values().stream().mapToLong(List::size).sum());
        assertThat(progress).anyMatch(l -> l.contains("removing the partial copy"));
        assertThat(DatabaseMeta.load(db).partitions()).isEqualTo(PARTITIONS);
    }

    @Test
    void run_interruptedBetweenTheRenames_nextRunFinishesTheSwap() throws Exception {
        Path db = dir.resolve("db");
        Format1Fixture.write(db, PARTITIONS, sample());
        Migration.run(db, progress::add);
        // Undo the second rename: the state a crash between the two renames leaves.
        Files.move(db, dir.resolve("db.migrating"));

        Migration.run(db, progress::add);

        assertThat(DatabaseMeta.load(db).partitions()).isEqualTo(PARTITIONS);
        assertThat(Files.exists(dir.resolve("db.migrating"))).isFalse();
        assertThat(DatabaseMeta.format(dir.resolve("db.format1"))).isEqualTo(DatabaseMeta.FORMAT_1);
    }

    @Test
    void run_noSuchFolder_refused() {
        assertThatThrownBy(() -> Migration.run(dir.resolve("absent"), progress::add))
                .isInstanceOf(MigrationException.class).hasMessageContaining("no database folder at");
    }

    private static Set<String> ids(Partition p, String tenant) throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            IdChunk chunk = p.ids(tenant, cursor, 1000).get(10, TimeUnit.SECONDS);
            ids.addAll(chunk.ids());
            cursor = chunk.next();
        } while (cursor != null);
        return ids;
    }
}
