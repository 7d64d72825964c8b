package countapp.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The database folder's metadata, fixed when the database is created: the partition count (the
 * tenant-to-partition map depends on it) and the secret key of the hash that decides whether a pair is new.
 * Kept in {@code countapp.meta} beside the partition folders, with the storage format ({@code format=2}, the
 * log store).
 *
 * <p>A folder in format 1 (RocksDB, written by development builds before 0.1.0) is refused with the command
 * that converts it, {@code countapp migrate <folder>}: no runtime code reads that format any more.
 *
 * @param partitions the partition count
 * @param hashKey the 16-byte SipHash key
 */
public record DatabaseMeta(int partitions, byte[] hashKey) {
    public static final String FILE = "countapp.meta";
    /** The format of folders written by development builds before 0.1.0: converted by {@code countapp migrate}. */
    public static final int FORMAT_1 = 1;
    static final int LOG_FORMAT = 2;

    /** Reads the metadata of an existing database; refuses a format-1 folder, naming the command that converts it. */
    public static DatabaseMeta load(Path root) {
        Path file = root.resolve(FILE);
        Properties p = read(root);
        int format = formatOf(p, file);
        if (format == FORMAT_1) {
            throw new StoreException(root + " holds a database in format 1 (RocksDB, written before 0.1.0), which "
                    + "this version no longer runs: convert it once with `countapp migrate " + root + "` (it keeps "
                    + "the original beside it), then start again");
        }
        int partitions = partitionsOf(p, file);
        try {
            byte[] key = HexFormat.of().parseHex(p.getProperty("hash_key", "").trim());
            if (key.length != 16) {
                throw new StoreException(file + " has no valid hash_key");
            }
            return new DatabaseMeta(partitions, key);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }

    /** The storage format of the database at {@code root}: {@link #FORMAT_1} or 2 (the log store). */
    public static int format(Path root) {
        return formatOf(read(root), root.resolve(FILE));
    }

    /** The partition count of the database at {@code root}, whatever its format. */
    public static int partitions(Path root) {
        return partitionsOf(read(root), root.resolve(FILE));
    }

    private static Properties read(Path root) {
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
        return p;
    }

    private static int formatOf(Properties p, Path file) {
        int format = intOf(p, "format", file);
        if (format != FORMAT_1 && format != LOG_FORMAT) {
            throw new StoreException(file + " has format " + format + "; this version reads format " + LOG_FORMAT
                    + " (and converts format " + FORMAT_1 + " with `countapp migrate`)");
        }
        return format;
    }

    private static int partitionsOf(Properties p, Path file) {
        int partitions = intOf(p, "partitions", file);
        if (partitions < 1) {
            throw new StoreException(file + " has an invalid partition count");
        }
        return partitions;
    }

    private static int intOf(Properties p, String key, Path file) {
        try {
            return Integer.parseInt(p.getProperty(key, "").trim());
        } catch (NumberFormatException e) {
            throw new StoreException("corrupt " + file + ": " + key + ": " + e.getMessage(), e);
        }
    }

    /** Reads the metadata, or creates a log-format database with {@code partitions} partitions if there is none. */
    public static DatabaseMeta loadOrCreate(Path root, int partitions) {
        if (Files.exists(root.resolve(FILE))) {
            return load(root);
        }
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        DatabaseMeta meta = new DatabaseMeta(partitions, key);
        try {
            Files.createDirectories(root);
            Path tmp = root.resolve(FILE + ".tmp");
            String text = "# CountApp database metadata: do not edit. The partition count is fixed at creation, and\n"
                    + "# hash_key is the secret of the hash that decides whether a pair is new: keep it private.\n"
                    + "format=" + LOG_FORMAT + "\npartitions=" + partitions + "\nhash_key=" + HexFormat.of().formatHex(key) + "\n";
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.setPosixFilePermissions(root.resolve(FILE), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX filesystem: permissions stay the folder's default
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database at " + root, e);
        }
        return meta;
    }

    /** The two halves of the hash key, as SipHash takes them (little-endian). */
    public long hashKey0() {
        return littleEndian(0);
    }

    public long hashKey1() {
        return littleEndian(8);
    }

    private long littleEndian(int from) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (hashKey[from + i] & 0xff);
        }
        return v;
    }
}
