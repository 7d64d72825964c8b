package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.codec.ByteSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The log's pair frames: what {@link Frames#writePairs} writes reads back the same through the log and a
 * scan, and a frame cut short or garbled is cut off at the end of the last segment and an error elsewhere.
 */
class FramesPropertiesTest {
    @Provide
    Arbitrary<List<String>> ids() {
        return Arbitraries.strings().ofMinLength(0).ofMaxLength(40).list().ofMinSize(1).ofMaxSize(60);
    }

    private static byte[] prefix(String tenant) {
        byte[] utf8 = tenant.getBytes(StandardCharsets.UTF_8);
        ByteSink s = new ByteSink(16);
        s.putVarint(utf8.length);
        s.putBytes(utf8, 0, utf8.length);
        return java.util.Arrays.copyOf(s.array(), s.length());
    }

    /** One ADD frame of {@code ids}, alternating between two tenants. */
    private static ByteSink frame(List<String> ids) {
        ByteSink records = new ByteSink(64);
        for (int k = 0; k < ids.size(); k++) {
            byte[] id = ids.get(k).getBytes(StandardCharsets.UTF_8);
            records.putVarint(k % 2);
            records.putVarint(id.length);
            records.putBytes(id, 0, id.length);
        }
        ByteSink frame = new ByteSink(64);
        Frames.writePairs(frame, Frames.ADD, List.of(prefix("even"), prefix("odd ✓")), ids.size(), records);
        return frame;
    }

    private static List<String> listed(SegmentedLog log, String tenant) {
        List<String> all = new ArrayList<>();
        IdScan.Cursor cursor = IdScan.Cursor.START;
        while (true) {
            var chunk = IdScan.scan(log, tenant, cursor, log.end(), 7);
            all.addAll(chunk.ids());
            if (chunk.next() == null) {
                return all;
            }
            cursor = IdScan.Cursor.parse(chunk.next());
        }
    }

    @Property(tries = 50)
    void writePairs_anyIds_readBackTheSame(@ForAll("ids") List<String> ids) throws IOException {
        Path dir = Files.createTempDirectory("frames");
        try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20, LogPosition.START, (k, p, n) -> true)) {
            ByteSink f = frame(ids);
            log.append(f.array(), f.length());
            List<String> even = new ArrayList<>();
            List<String> odd = new ArrayList<>();
            for (int k = 0; k < ids.size(); k++) {
                (k % 2 == 0 ? even : odd).add(ids.get(k));
            }
            assertThat(listed(log, "even")).isEqualTo(even);
            assertThat(listed(log, "odd ✓")).isEqualTo(odd);
        } finally {
            delete(dir);
        }
    }

    @Property(tries = 50)
    void open_tornOrGarbledLastFrame_cutOffAtTheEndElseAnError(@ForAll("ids") List<String> ids,
            @ForAll @IntRange(min = 1, max = 10_000) int damageAt, @ForAll boolean garble) throws IOException {
        Path dir = Files.createTempDirectory("frames");
        try {
            ByteSink good = frame(List.of("kept"));
            ByteSink bad = frame(ids);
            try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20, LogPosition.START, (k, p, n) -> true)) {
                log.append(good.array(), good.length());
                log.append(bad.array(), bad.length());
            }
            Path segment = SegmentFiles.file(dir, 1, 0);
            byte[] bytes = Files.readAllBytes(segment);
            int at = good.length() + 1 + damageAt % (bad.length() - 1); // inside the frame, never at its edge
            if (garble) {
                bytes[at] ^= 0x5a; // a flipped byte in the header or payload: the length or the checksum fails
                Files.write(segment, bytes);
            } else {
                Files.write(segment, java.util.Arrays.copyOf(bytes, at)); // torn: cut short mid-frame
            }
            int[] frames = {0};
            try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20, LogPosition.START, (k, p, n) -> {
                frames[0]++;
                return true;
            })) {
                assertThat(frames[0]).as("the intact frame only").isEqualTo(1);
                assertThat(log.end().offset()).isEqualTo(good.length());
            }
            // The same damage in a segment that is not the last is an error, never a silent loss.
            Files.write(SegmentFiles.file(dir, 2, 0), java.util.Arrays.copyOf(good.array(), good.length()));
            Files.write(segment, garble ? bytes : java.util.Arrays.copyOf(bytes, at));
            assertThatThrownBy(() -> SegmentedLog.open(dir, 1 << 20, LogPosition.START, (k, p, n) -> true))
                    .isInstanceOf(IOException.class).hasMessageContaining("damaged log");
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
