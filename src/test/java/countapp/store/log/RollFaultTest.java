package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.store.WriteBlockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, fault 2: a segment roll that fails (file descriptors exhausted, a folder that cannot be synced)
 * leaves the log as it was, and the partition takes writes again once the cause is gone, without a restart.
 */
@Timeout(60)
class RollFaultTest {
    @TempDir
    Path root;

    /** The real calls, failing while {@code failing} is set: at the create or at the folder sync. */
    static final class FaultyFiles implements LogFiles {
        volatile boolean failCreate;
        volatile boolean failSync;
        final List<FileChannel> opened = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public FileChannel create(Path file) throws IOException {
            if (failCreate) {
                throw new FileSystemException(file.toString(), null, "Too many open files");
            }
            FileChannel ch = LogFiles.REAL.create(file);
            opened.add(ch);
            return ch;
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            if (failSync) {
                throw new FileSystemException(dir.toString(), null, "Too many open files");
            }
            LogFiles.REAL.syncDirectory(dir);
        }
    }

    private static long add(LogPartition p, int from, int to) throws Exception {
        String[] tenants = new String[to - from];
        java.util.Arrays.fill(tenants, "t");
        String[] ids = IntStream.range(from, to).mapToObj(i -> "id-" + i).toArray(String[]::new);
        return p.add(ItemBatch.of(tenants, ids), IntStream.range(0, to - from).toArray(), to - from)
                .get(10, TimeUnit.SECONDS);
    }

    private List<String> segmentNames() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("0/log"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".log")).sorted().toList();
        }
    }

    /** Adds new ids in tens until the log rolled to its second segment; returns how many (all acknowledged). */
    private static int fillFirstSegment(LogPartition p) throws Exception {
        int next = 0;
        while (p.log().end().segment() == 1) {
            assertThat(add(p, next, next + 10)).isEqualTo(10);
            next += 10;
        }
        return next;
    }

    /** Tenant t's count after reopening the store without its snapshot, as after a crash. */
    private long countAfterFullReplay() throws Exception {
        Files.deleteIfExists(root.resolve("0/log/snapshot"));
        LogStore reopened = store();
        try {
            return reopened.open(0, Duration.ofSeconds(5)).count("t").get(5, TimeUnit.SECONDS);
        } finally {
            reopened.close();
        }
    }

    /** One partition in 1 KiB segments: a roll every few adds. */
    private LogStore store() {
        return LogStore.builder(root, 1, 7, 11).persistInterval(Duration.ofMillis(100)).segmentBytes(1024).build();
    }

    @Test
    void issue19_append_rollFailsAtTheFolderSync_logAsItWasThenWritesResumeWithoutRestart() throws Exception {
        LogStore store = store();
        long acknowledged = 0;
        try {
            LogPartition p = (LogPartition) store.open(0, Duration.ofSeconds(5));
            FaultyFiles faults = new FaultyFiles();
            int next = fillFirstSegment(p);
            acknowledged += next;
            acknowledged += add(p, next, next + 10);
            next += 10;
            faults.failSync = true;
            p.log().useFiles(faults); // also drops the segment created ahead: the next roll creates one
            List<String> before = segmentNames();
            long end = p.log().end().segment();

            ExecutionException refused = null;
            for (int tries = 0; tries < 100 && refused == null; tries++) {
                try {
                    acknowledged += add(p, next, next + 10);
                    next += 10;
                } catch (ExecutionException e) {
                    refused = e;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getCause()).isInstanceOf(WriteBlockedException.class)
                    .hasMessageContaining("FileSystemException").hasMessageContaining("Too many open files")
                    .hasCauseInstanceOf(FileSystemException.class);
            assertThat(((WriteBlockedException) refused.getCause()).noSpace()).isFalse();
            assertThat(faults.opened).as("the failed rolls' handles are closed").isNotEmpty()
                    .allMatch(ch -> !ch.isOpen());
            assertThat(segmentNames()).as("no empty segment left behind").isEqualTo(before);
            assertThat(p.log().end().segment()).isEqualTo(end);
            assertThat(p.blockedReason()).contains("Too many open files");

            faults.failSync = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long added = -1;
            while (added < 0 && System.nanoTime() < deadline) {
                try {
                    added = add(p, next, next + 10);
                } catch (ExecutionException e) {
                    Thread.sleep(50); // refused at once until the recheck lets one write through
                }
            }
            assertThat(added).as("writes resume without a restart").isEqualTo(10);
            acknowledged += added;
            assertThat(p.blockedReason()).isNull();
            assertThat(p.count("t").get(5, TimeUnit.SECONDS)).isEqualTo(acknowledged);
        } finally {
            store.close();
        }
        assertThat(countAfterFullReplay()).as("every acknowledged add, after a full replay").isEqualTo(acknowledged);
    }

    @Test
    void issue19_append_rollFailsToCreateTheFile_thenALeftoverFileIsTaken() throws Exception {
        LogStore store = store();
        long acknowledged = 0;
        try {
            LogPartition p = (LogPartition) store.open(0, Duration.ofSeconds(5));
            FaultyFiles faults = new FaultyFiles();
            int next = fillFirstSegment(p);
            acknowledged += next;
            faults.failCreate = true;
            p.log().useFiles(faults);
            // A leftover of an earlier failed roll that could not even be removed: an empty next segment.
            Files.createFile(SegmentFiles.file(root.resolve("0/log"), 3, 0));
            boolean refused = false;
            for (int tries = 0; tries < 100 && !refused; tries++) {
                try {
                    acknowledged += add(p, next, next + 10);
                    next += 10;
                } catch (ExecutionException e) {
                    refused = true;
                    assertThat(e.getCause()).hasMessageContaining("Too many open files");
                }
            }
            assertThat(refused).isTrue();
            faults.failCreate = false;
            Thread.sleep(600); // past the recheck
            for (int k = 0; k < 40; k++) {
                acknowledged += add(p, next, next + 10);
                next += 10;
            }
            assertThat(p.log().end().segment()).isGreaterThan(3);
            assertThat(p.count("t").get(5, TimeUnit.SECONDS)).isEqualTo(acknowledged);
        } finally {
            store.close();
        }
        assertThat(countAfterFullReplay()).as("every acknowledged add, after a full replay").isEqualTo(acknowledged);
    }
}
