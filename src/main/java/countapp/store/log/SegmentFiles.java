package countapp.store.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names of a log's segment files. A segment is numbered ({@code seq}, its place in the log) and has a
 * generation: 0 as first written ({@code 0000000000000007.log}, the name every earlier version wrote), and
 * one more each time a compaction rewrites it ({@code 0000000000000007.g1.log}). A rewrite is written to
 * {@code <new name>.cleaned}, fsynced, renamed to its name, and only then is the older generation deleted:
 * a file name is never reused for other bytes, so a position that names a generation either reads the
 * bytes it was taken from or finds the file gone, never a different file under the same name.
 *
 * <p>Opening a folder keeps the highest generation of each segment (a crash between the rename and the
 * delete leaves two, and the newer one is whole because it was fsynced before its rename) and deletes
 * leftovers of a rewrite cut short ({@code .cleaned}).
 */
final class SegmentFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);
    static final String SUFFIX = ".log";
    static final String CLEANED = ".cleaned";

    /** A segment's number and generation, parsed from its file name. */
    record Name(long seq, int generation) {}

    private SegmentFiles() {}

    static Path file(Path dir, long seq, int generation) {
        String number = String.format("%016d", seq);
        return dir.resolve(generation == 0 ? number + SUFFIX : number + ".g" + generation + SUFFIX);
    }

    /** Where a rewrite of the segment as {@code generation} is written before it is renamed into place. */
    static Path cleaned(Path dir, long seq, int generation) {
        Path f = file(dir, seq, generation);
        return f.resolveSibling(f.getFileName() + CLEANED);
    }

    /** The segment a file name names, or null when it names none. */
    static @Nullable Name parse(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return null;
        }
        String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
        int g = stem.indexOf(".g");
        try {
            if (g < 0) {
                return new Name(Long.parseLong(stem), 0);
            }
            int generation = Integer.parseInt(stem.substring(g + 2));
            return generation > 0 ? new Name(Long.parseLong(stem.substring(0, g)), generation) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The segments in {@code dir}, by number, with their generation in use; older generations and cut-short
     * rewrites are deleted on the way.
     */
    static NavigableMap<Long, Integer> scan(Path dir) throws IOException {
        NavigableMap<Long, Integer> live = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX + CLEANED)) {
                    LOG.info("deleting {}, a rewrite cut short", p);
                    Files.deleteIfExists(p);
                    continue;
                }
                Name n = parse(name);
                if (n == null) {
                    continue;
                }
                Integer other = live.get(n.seq());
                if (other == null) {
                    live.put(n.seq(), n.generation());
                    continue;
                }
                int older = Math.min(other, n.generation());
                live.put(n.seq(), Math.max(other, n.generation()));
                LOG.info("deleting {}, replaced by a newer generation", file(dir, n.seq(), older));
                Files.deleteIfExists(file(dir, n.seq(), older));
            }
        }
        return live;
    }

    /** Makes a folder's entries (a created, renamed or deleted file) durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some filesystems cannot open a folder for fsync; the file contents are synced either way.
            if (!(e.getMessage() != null && e.getMessage().contains("Is a directory"))) {
                throw e;
            }
        }
    }

    /** Closes and removes a segment file a roll created but could not use; what fails here is added to {@code e}, never thrown. */
    static void discard(@Nullable FileChannel next, Path file, Exception e) {
        try {
            if (next != null) {
                next.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException suppressed) {
            e.addSuppressed(suppressed); // the next roll truncates and takes the file
        }
    }
}
