package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.store.IdChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment generations on disk, the pins that keep compaction off a scan's segments, and their leases. */
class SegmentFilesTest {
    @TempDir
    Path root;

    @Test
    void parse_namesOfEveryVersion_segmentAndGeneration() {
        assertThat(SegmentFiles.parse("0000000000000007.log")).isEqualTo(new SegmentFiles.Name(7, 0));
        assertThat(SegmentFiles.parse("0000000000000007.g3.log")).isEqualTo(new SegmentFiles.Name(7, 3));
        assertThat(SegmentFiles.parse("0000000000000007.g0.log")).isNull();
        assertThat(SegmentFiles.parse("0000000000000007.g3.log.cleaned")).isNull();
        assertThat(SegmentFiles.parse("snapshot")).isNull();
        assertThat(SegmentFiles.parse("x.log")).isNull();
        assertThat(SegmentFiles.file(root, 7, 0).getFileName().toString()).isEqualTo("0000000000000007.log");
    }

    @Test
    void scan_twoGenerationsAndACutShortRewrite_keepsTheNewestDeletesTheRest() throws Exception {
        Files.writeString(SegmentFiles.file(root, 1, 0), "old");
        Files.writeString(SegmentFiles.file(root, 1, 1), "new");
        Files.writeString(SegmentFiles.file(root, 2, 0), "two");
        Files.writeString(SegmentFiles.cleaned(root, 2, 1), "half");

        assertThat(SegmentFiles.scan(root)).containsExactly(java.util.Map.entry(1L, 1), java.util.Map.entry(2L, 0));

        assertThat(SegmentFiles.file(root, 1, 0)).doesNotExist();
        assertThat(SegmentFiles.cleaned(root, 2, 1)).doesNotExist();
        assertThat(SegmentFiles.file(root, 1, 1)).hasContent("new");
    }

    @Test
    void pinned_leaseRunsOut_notPinnedAnyMore() {
        AtomicLong now = new AtomicLong();
        SegmentPins pins = new SegmentPins(now::get, 1000);
        SegmentPins.Pin pin = pins.pin(3);
        assertThat(pins.pinned(2)).isFalse();
        assertThat(pins.pinned(3)).isTrue();
        now.set(900);
        pin.moveTo(5); // renews the lease
        now.set(1800);
        assertThat(pins.pinned(4)).isFalse();
        assertThat(pins.pinned(9)).isTrue();
        now.set(2000);
        assertThat(pins.pinned(9)).as("lease ran out").isFalse();
        assertThat(pin.expired()).isTrue();
        SegmentPins.Pin other = pins.pin(1);
        other.release();
        assertThat(pins.pinned(9)).isFalse();
    }

    private static LogStore store(Path root) {
        return LogStore.builder(root, 1, 7, 11).persistInterval(Duration.ofMillis(100)).segmentBytes(1024).build();
    }

    private static void add(LogPartition p, String tenant, int from, int to) throws Exception {
        String[] tenants = new String[to - from];
        java.util.Arrays.fill(tenants, tenant);
        String[] ids = IntStream.range(from, to).mapToObj(i -> tenant + "-" + i).toArray(String[]::new);
        p.add(ItemBatch.of(tenants, ids), IntStream.range(0, to - from).toArray(), to - from).get(10, TimeUnit.SECONDS);
    }

    @Test
    void ids_cursorOfARewrittenGenerationAfterRestart_clearErrorNeverOtherIds() throws Exception {
        LogStore s = store(root);
        LogPartition p = (LogPartition) s.open(0, Duration.ofSeconds(5));
        for (int i = 0; i < 200; i += 10) {
            add(p, "keep", i, i + 10);
            add(p, "gone", i, i + 10);
        }
        IdChunk first = p.ids("keep", null, 150).get(10, TimeUnit.SECONDS);
        assertThat(first.next()).isNotNull();
        p.eraseTenant("gone").get(10, TimeUnit.SECONDS);
        s.close(); // the listing's pin is lost with the process
        s = store(root);
        try {
            LogPartition reopened = (LogPartition) s.open(0, Duration.ofSeconds(5));
            s.compactErased().get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> reopened.ids("keep", first.next(), 150).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("start the scan again");
            List<String> all = new ArrayList<>();
            String cursor = null;
            do {
                IdChunk c = reopened.ids("keep", cursor, 150).get(10, TimeUnit.SECONDS);
                all.addAll(c.ids());
                cursor = c.next();
            } while (cursor != null);
            assertThat(all).hasSize(200).doesNotHaveDuplicates();
        } finally {
            s.close();
        }
    }

    @Test
    void open_folderOfEarlierVersion_oldCursorAndNamesStillRead() throws Exception {
        LogStore s = store(root);
        LogPartition p = (LogPartition) s.open(0, Duration.ofSeconds(5));
        for (int i = 0; i < 100; i += 10) {
            add(p, "t", i, i + 10);
        }
        s.close();
        try (var files = Files.list(root.resolve("0/log"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".log")))
                    .as("new segments keep the names earlier versions wrote").allMatch(n -> n.matches("\\d{16}\\.log"));
        }
        s = store(root);
        try {
            LogPartition reopened = (LogPartition) s.open(0, Duration.ofSeconds(5));
            // A cursor as earlier versions wrote it (segment:offset:skip) resumes in generation 0.
            IdChunk c = reopened.ids("t", "1:0:5", 1000).get(10, TimeUnit.SECONDS);
            assertThat(c.ids()).hasSize(95);
            assertThatThrownBy(() -> reopened.ids("t", "garbage", 10).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cursor");
        } finally {
            s.close();
        }
    }
}
