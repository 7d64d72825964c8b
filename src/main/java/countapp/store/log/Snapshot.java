package countapp.store.log;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's index and tenant counts as of a log position, written on a graceful close, so the next
 * open reads it and replays only the log after that position instead of the whole log. Optional: a
 * missing, damaged or unreadable snapshot only means a full replay. Written to a temporary file, fsynced
 * and renamed, after the log itself is fsynced, so it never covers more than the durable log.
 */
final class Snapshot {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);
    static final String FILE = "snapshot";
    private static final long MAGIC = 0x434153_4e41503031L; // "CASNAP01"

    record Content(LogPosition position, Map<String, Long> counts, PairIndex index) {}

    private Snapshot() {}

    static void write(Path dir, LogPosition at, Map<String, Long> counts, PairIndex index) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            OutputStream raw = Channels.newOutputStream(ch);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
            out.writeLong(MAGIC);
            out.writeLong(at.segment());
            out.writeLong(at.offset());
            out.writeInt(counts.size());
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
                out.writeLong(e.getValue());
            }
            index.write(out);
            out.flush();
            // The checksum trailer, outside the checksummed bytes.
            DataOutputStream trailer = new DataOutputStream(raw);
            trailer.writeInt((int) crc.getValue());
            trailer.flush();
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SegmentFiles.syncDirectory(dir);
    }

    /** The snapshot in {@code dir}, or null when there is none or it cannot be trusted. */
    static Content read(Path dir) {
        Path file = dir.resolve(FILE);
        try (InputStream raw = Files.newInputStream(file)) {
            long size = Files.size(file);
            CRC32C crc = new CRC32C();
            // Everything but the 4-byte trailer is checksummed.
            DataInputStream in = new DataInputStream(new CheckedInputStream(
                    new BufferedInputStream(new BoundedStream(raw, size - 4), 1 << 16), crc));
            if (in.readLong() != MAGIC) {
                throw new IOException("not a snapshot");
            }
            LogPosition at = new LogPosition(in.readLong(), in.readLong());
            int tenants = in.readInt();
            Map<String, Long> counts = new HashMap<>(Math.max(16, tenants * 2));
            for (int i = 0; i < tenants; i++) {
                byte[] name = new byte[in.readInt()];
                in.readFully(name);
                counts.put(new String(name, StandardCharsets.UTF_8), in.readLong());
            }
            PairIndex index = PairIndex.read(in);
            int expected = new DataInputStream(raw).readInt();
            if ((int) crc.getValue() != expected) {
                throw new IOException("checksum mismatch");
            }
            return new Content(at, counts, index);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the snapshot in {} ({}); the index is rebuilt from the log", dir, e.toString());
            return null;
        }
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    /** The first {@code limit} bytes of a stream, so the checksum excludes the trailer. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
