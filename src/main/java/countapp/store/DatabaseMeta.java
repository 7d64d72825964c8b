package countapp.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The database folder's metadata: the partition count, fixed when the database is created because the
 * tenant-to-partition map depends on it. Kept in {@code countapp.meta} beside the partition folders.
 */
public record DatabaseMeta(int format, int partitions) {
    public static final String FILE = "countapp.meta";
    static final int FORMAT = 1;

    /** Reads the metadata of an existing database. */
    public static DatabaseMeta load(Path root) {
        Path file = root.resolve(FILE);
        if (!Files.exists(file)) {
            throw new StoreException("no CountApp database at " + root + " (missing " + FILE + ")");
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            int format = Integer.parseInt(p.getProperty("format", "").trim());
            int partitions = Integer.parseInt(p.getProperty("partitions", "").trim());
            if (format != FORMAT) {
                throw new StoreException(file + " has format " + format + "; this version reads format " + FORMAT);
            }
            if (partitions < 1) {
                throw new StoreException(file + " has partitions=" + partitions);
            }
            return new DatabaseMeta(format, partitions);
        } catch (NumberFormatException e) {
            throw new StoreException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the metadata, or creates the database with {@code partitions} partitions if there is none. */
    public static DatabaseMeta loadOrCreate(Path root, int partitions) {
        if (Files.exists(root.resolve(FILE))) {
            return load(root);
        }
        DatabaseMeta meta = new DatabaseMeta(FORMAT, partitions);
        try {
            Files.createDirectories(root);
            Path tmp = root.resolve(FILE + ".tmp");
            String text = "# CountApp database metadata: do not edit, the partition count is fixed at creation\n"
                    + "format=" + FORMAT + "\npartitions=" + partitions + "\n";
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database at " + root, e);
        }
        return meta;
    }
}
