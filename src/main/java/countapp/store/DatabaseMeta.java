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
 * tenant-to-partition map depends on it), the storage format, and for the log format the secret key of the
 * hash that decides whether a pair is new. Kept in {@code countapp.meta} beside the partition folders.
 *
 * @param format 2 for the log store; 1 for a database created by an earlier version (RocksDB)
 * @param partitions the partition count
 * @param hashKey the 16-byte SipHash key (format 2), or null
 */
public record DatabaseMeta(int format, int partitions, byte[] hashKey) {
    public static final String FILE = "countapp.meta";
    public static final int ROCKSDB_FORMAT = 1;
    static final int LOG_FORMAT = 2;

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
            if (format != ROCKSDB_FORMAT && format != LOG_FORMAT) {
                throw new StoreException(file + " has format " + format + "; this version reads formats 1 and 2");
            }
            if (partitions < 1) {
                throw new StoreException(file + " has an invalid partition count");
            }
            byte[] key = null;
            if (format == LOG_FORMAT) {
                key = HexFormat.of().parseHex(p.getProperty("hash_key", "").trim());
                if (key.length != 16) {
                    throw new StoreException(file + " has no valid hash_key");
                }
            }
            return new DatabaseMeta(format, partitions, key);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the metadata, or creates a log-format database with {@code partitions} partitions if there is none. */
    public static DatabaseMeta loadOrCreate(Path root, int partitions) {
        if (Files.exists(root.resolve(FILE))) {
            return load(root);
        }
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        DatabaseMeta meta = new DatabaseMeta(LOG_FORMAT, partitions, key);
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
