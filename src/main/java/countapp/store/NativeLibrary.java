package countapp.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
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
        ClassLoader loader = RocksDB.class.getClassLoader();
        try {
            // Streamed, never held whole: a 15 MB byte[] would stay in the heap (and the process's RSS) for good.
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    RocksDB.loadLibrary();
                    return;
                }
                size = new DigestInputStream(in, sha256).transferTo(OutputStream.nullOutputStream());
            }
            String hash = HexFormat.of().formatHex(sha256.digest(), 0, 8);
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "countapp-rocksdbjni-" + hash);
            Path target = dir.resolve(file);
            if (!Files.exists(target) || Files.size(target) != size) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, file, ".tmp");
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
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
