package countapp.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Whether the coordinator that spawned this worker is gone, concluded only from a positive sign: its
 * {@code /proc/<pid>} entry is absent, or the pid now belongs to a process started at another time. The
 * JDK's {@link ProcessHandle} reads {@code /proc/<pid>/stat} and reports a process it cannot read as not
 * there, so with file descriptors exhausted a live coordinator looked dead and the worker stopped itself;
 * this confirms with a {@code stat} of {@code /proc/<pid>}, which needs no file descriptor.
 */
final class ParentWatch {
    enum Verdict { ALIVE, GONE, UNKNOWN }

    private static final Path PROC = Path.of("/proc");

    private final long pid;
    private final LongFunction<Optional<ProcessHandle>> processes;
    /** When the parent started, as seen at our start; null when unknown. */
    private final @Nullable Instant started;

    ParentWatch(long pid) {
        this(pid, ProcessHandle::of);
    }

    /** With {@code processes} standing in for {@link ProcessHandle#of} (tests make it fail). */
    ParentWatch(long pid, LongFunction<Optional<ProcessHandle>> processes) {
        this.pid = pid;
        this.processes = processes;
        this.started = processes.apply(pid).flatMap(h -> h.info().startInstant()).orElse(null);
    }

    Verdict check() {
        Optional<ProcessHandle> handle = processes.apply(pid);
        if (handle.isPresent() && handle.get().isAlive()) {
            Instant now = handle.get().info().startInstant().orElse(null);
            return started != null && now != null && !now.equals(started) ? Verdict.GONE : Verdict.ALIVE;
        }
        return confirmGone();
    }

    /** The JDK saw no live parent: true only when {@code /proc} exists and has no entry for the pid. */
    private Verdict confirmGone() {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return Verdict.GONE; // no procfs to ask: the JDK's answer is all there is
        }
        try {
            Files.readAttributes(PROC.resolve(Long.toString(pid)), BasicFileAttributes.class);
            return Verdict.UNKNOWN; // the process is there; the JDK could not read it (fd exhaustion, say)
        } catch (NoSuchFileException e) {
            return Verdict.GONE;
        } catch (IOException | RuntimeException e) {
            return Verdict.UNKNOWN;
        }
    }
}
