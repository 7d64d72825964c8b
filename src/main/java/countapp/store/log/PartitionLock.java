package countapp.store.log;

import countapp.store.PartitionLockedException;
import countapp.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lock file of a partition's folder: one process, one open of a partition at a time. */
final class PartitionLock {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionLock.class);

    private PartitionLock() {}

    /** Takes the partition's file lock, waiting (with backoff) while another process holds it. */
    static FileLock acquire(int partition, Path dir, Duration timeout, BooleanSupplier stillWanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMs = 20;
        while (true) {
            FileChannel ch = null;
            try {
                Files.createDirectories(dir);
                ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return lock;
                }
                ch.close();
            } catch (OverlappingFileLockException e) {
                closeQuietly(ch); // this process holds it: a close of the partition is still under way
            } catch (IOException e) {
                closeQuietly(ch);
                throw new StoreException("cannot lock partition " + partition + " at " + dir + ": " + e.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new PartitionLockedException(partition, dir.resolve("LOCK") + " is held");
            }
            if (!stillWanted.getAsBoolean()) {
                throw new StoreException("partition " + partition + " was assigned elsewhere while waiting for its lock");
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for a partition lock", e);
            }
            backoffMs = Math.min(500, backoffMs * 2);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    static void release(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.warn("releasing a partition lock failed: {}", e.toString());
        }
    }
}
