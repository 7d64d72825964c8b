package countapp.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library from one shared, content-addressed copy.
 *
 * <p>Why: RocksDB's own loader extracts a fresh 15 MB temporary copy per process and deletes it only on a
 * clean exit, so every SIGKILLed or crashed worker would leak one into the temp folder. Here the library
 * is extracted once per content hash, atomically (temp file + rename), and reused by every process.
 */
final class NativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

    private NativeLibrary() {}

    static void load() {
        String resource = Environment.getJniLibraryFileName("rocksdb");
        // The name RocksDB.loadLibrary(paths) looks for in each path.
        String file = Environment.getJniLibraryFileName("rocksdbjni");
        try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                RocksDB.loadLibrary();
                return;
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "countapp-rocksdbjni-" + hash);
            Path target = dir.resolve(file);
            if (!Files.exists(target) || Files.size(target) != bytes.length) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, file, ".tmp");
                Files.write(tmp, bytes);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            RocksDB.loadLibrary(List.of(dir.toString()));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.warn("shared RocksDB library copy unavailable ({}); using RocksDB's own loader", e.toString());
            RocksDB.loadLibrary();
        }
    }
}
