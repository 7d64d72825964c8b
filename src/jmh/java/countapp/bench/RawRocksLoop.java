package countapp.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The storage reference for {@code make bench}: a bare RocksDB (WAL on, no fsync per write, like
 * {@code worker_persist > 0}) driven by one thread with no HTTP, no queues and no count keys.
 * {@code single}: per item, get the key and put it if absent. {@code batch100}: one multi-get of 100 keys
 * and one write batch of the absent ones. Keys are random 12-digit numbers under one tenant prefix.
 *
 * <p>Usage: {@code RawRocksLoop single|batch100 SECONDS}; prints {@code raw-rocks <mode> <items/s>}.
 */
public final class RawRocksLoop {
    private RawRocksLoop() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "single";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int batch = "single".equals(mode) ? 1 : Integer.parseInt(mode.replace("batch", ""));
        RocksDB.loadLibrary();
        Path dir = Files.createTempDirectory("countapp-rawrocks-");
        byte[] empty = new byte[0];
        byte[] prefix = "\u0002\u0011bench-0123456789-0".getBytes(StandardCharsets.UTF_8);
        SplittableRandom rnd = new SplittableRandom(42);
        long items = 0;
        long start;
        long end;
        try (Options options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(16L << 20);
             WriteOptions write = new WriteOptions().setSync(false);
             RocksDB db = RocksDB.open(options, dir.toString())) {
            start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            List<byte[]> keys = new ArrayList<>(batch);
            while (System.nanoTime() < deadline) {
                for (int round = 0; round < 100; round++) {
                    keys.clear();
                    for (int i = 0; i < batch; i++) {
                        keys.add(key(prefix, rnd.nextLong(100_000_000_000L)));
                    }
                    if (batch == 1) {
                        byte[] k = keys.get(0);
                        if (db.get(k) == null) {
                            db.put(write, k, empty);
                        }
                    } else {
                        List<byte[]> found = db.multiGetAsList(keys);
                        try (WriteBatch wb = new WriteBatch()) {
                            for (int i = 0; i < batch; i++) {
                                if (found.get(i) == null) {
                                    wb.put(keys.get(i), empty);
                                }
                            }
                            db.write(write, wb);
                        }
                    }
                    items += batch;
                }
            }
            end = System.nanoTime();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf(Locale.ROOT, "raw-rocks %s %.0f%n", mode, items / ((end - start) / 1e9));
    }

    private static byte[] key(byte[] prefix, long id) {
        byte[] k = new byte[prefix.length + 12];
        System.arraycopy(prefix, 0, k, 0, prefix.length);
        for (int i = k.length - 1; i >= prefix.length; i--) {
            k[i] = (byte) ('0' + id % 10);
            id /= 10;
        }
        return k;
    }
}
