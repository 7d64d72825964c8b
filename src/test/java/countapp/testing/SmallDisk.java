package countapp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, tiny filesystem (tmpfs) for full-disk tests, that can be grown while mounted. Mounting needs
 * root: without it the test is reported as skipped, never passed.
 */
public final class SmallDisk implements AutoCloseable {
    public final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code megabytes} at a fresh folder under {@code parent}. */
    public static SmallDisk mount(Path parent, int megabytes) throws Exception {
        Path dir = Files.createTempDirectory(parent, "small-disk");
        int code = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
        Assumptions.assumeTrue(code == 0, "mounting a tmpfs needs root (mount exited with " + code + ")");
        return new SmallDisk(dir);
    }

    /** Grows (or shrinks) the filesystem while it stays mounted. */
    public void resize(int megabytes) throws Exception {
        int code = run("mount", "-o", "remount,size=" + megabytes + "m", dir.toString());
        if (code != 0) {
            throw new IOException("remount of " + dir + " failed with " + code);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("umount", "-l", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + dir, e);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
