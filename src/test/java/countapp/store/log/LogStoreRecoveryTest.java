package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.store.Partition;
import countapp.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the log store finds when it opens a partition: snapshots, torn and damaged logs. */
@Timeout(60)
class LogStoreRecoveryTest {
    @TempDir
    Path root;

    private LogStore store(long segmentBytes) {
        return LogStore.builder(root, 1, 7, 11).persistInterval(Duration.ofMillis(100)).segmentBytes(segmentBytes).build();
    }

    private static long add(Partition p, String tenant, int from, int to) throws Exception {
        int n = to - from;
        String[] tenants = new String[n];
        java.util.Arrays.fill(tenants, tenant);
        String[] ids = IntStream.range(from, to).mapToObj(i -> "id-" + i).toArray(String[]::new);
        return p.add(ItemBatch.of(tenants, ids), IntStream.range(0, n).toArray(), n).get(10, TimeUnit.SECONDS);
    }

    private static long count(Partition p, String tenant) throws Exception {
        return p.count(tenant).get(10, TimeUnit.SECONDS);
    }

    private Path logDir() {
        return root.resolve("0").resolve("log");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(logDir())) {
            return files.filter(f -> f.toString().endsWith(SegmentedLog.SUFFIX)).sorted().collect(Collectors.toList());
        }
    }

    /** Fills partition 0 with 3 tenants in many small frames, then closes the store (writing a snapshot). */
    private void fill(long segmentBytes) throws Exception {
        LogStore s = store(segmentBytes);
        Partition p = s.open(0, Duration.ofSeconds(5));
        for (int i = 0; i < 30; i++) {
            add(p, "t" + (i % 3), i * 10, i * 10 + 10);
        }
        s.close();
    }

    @Test
    void open_withSnapshot_sameCountsAndDuplicatesStillKnown() throws Exception {
        fill(1 << 20);
        assertThat(logDir().resolve(Snapshot.FILE)).exists();

        LogStore s = store(1 << 20);
        Partition p = s.open(0, Duration.ofSeconds(5));

        assertThat(count(p, "t0")).isEqualTo(100);
        assertThat(add(p, "t0", 0, 300)).as("only ids t0 never had").isEqualTo(200);
        s.close();
    }

    @Test
    void open_withoutSnapshot_rebuildsTheIndexFromTheLog() throws Exception {
        fill(1 << 20);
        Files.delete(logDir().resolve(Snapshot.FILE));

        LogStore s = store(1 << 20);
        Partition p = s.open(0, Duration.ofSeconds(5));

        assertThat(count(p, "t1")).isEqualTo(100);
        assertThat(add(p, "t1", 0, 300)).isEqualTo(200);
        s.close();
    }

    @Test
    void open_damagedSnapshot_ignoredAndRebuiltFromTheLog() throws Exception {
        fill(1 << 20);
        Path snap = logDir().resolve(Snapshot.FILE);
        byte[] bytes = Files.readAllBytes(snap);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(snap, bytes);

        LogStore s = store(1 << 20);
        Partition p = s.open(0, Duration.ofSeconds(5));

        assertThat(count(p, "t2")).isEqualTo(100);
        s.close();
    }

    @Test
    void open_tornFrameAtTheEnd_cutOffAndEverythingBeforeKept() throws Exception {
        fill(1 << 20);
        Files.delete(logDir().resolve(Snapshot.FILE));
        Path last = segments().get(segments().size() - 1);
        long intact = Files.size(last);
        // A crash in the middle of a write: a frame header promising more than was written.
        Files.write(last, new byte[] {100, 0, 0, 0, 1, 2, 3, 4, 1, 1}, StandardOpenOption.APPEND);

        LogStore s = store(1 << 20);
        Partition p = s.open(0, Duration.ofSeconds(5));

        assertThat(count(p, "t0")).isEqualTo(100);
        assertThat(Files.size(last)).as("the torn frame is cut off").isEqualTo(intact);
        assertThat(add(p, "t0", 1000, 1005)).isEqualTo(5);
        s.close();
        LogStore again = store(1 << 20);
        Files.delete(logDir().resolve(Snapshot.FILE));
        assertThat(count(again.open(0, Duration.ofSeconds(5)), "t0")).isEqualTo(105);
        again.close();
    }

    @Test
    void open_damagedFrameInAnEarlierSegment_refusedRatherThanLosingData() throws Exception {
        fill(600); // tiny segments: the frames span many files
        Files.delete(logDir().resolve(Snapshot.FILE));
        List<Path> segs = segments();
        assertThat(segs).hasSizeGreaterThan(3);
        byte[] bytes = Files.readAllBytes(segs.get(1));
        bytes[bytes.length - 1] ^= 0x7f;
        Files.write(segs.get(1), bytes);

        LogStore s = store(600);
        try {
            assertThatThrownBy(() -> s.open(0, Duration.ofSeconds(5)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("damaged log");
        } finally {
            s.close();
        }
    }

    @Test
    void open_manySegments_everyPairReplayed() throws Exception {
        fill(600);
        Files.delete(logDir().resolve(Snapshot.FILE));
        assertThat(segments()).hasSizeGreaterThan(3);

        LogStore s = store(600);
        Partition p = s.open(0, Duration.ofSeconds(5));

        assertThat(count(p, "t0") + count(p, "t1") + count(p, "t2")).isEqualTo(300);
        s.close();
    }
}
