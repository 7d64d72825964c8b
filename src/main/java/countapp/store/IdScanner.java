package countapp.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One bounded step of a prefix scan over a tenant's item keys. Each step opens and closes its own
 * iterator, so no iterator outlives a command on the writer thread and a close never waits for a reader.
 */
final class IdScanner {
    private IdScanner() {}

    /**
     * Up to {@code max} ids of {@code tenant} after {@code after} (exclusive; null = from the first), in key
     * order; the chunk's cursor is its last id.
     */
    static IdChunk scan(RocksDB db, String tenant, String after, int max) throws RocksDBException {
        byte[] tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = KeyCodec.itemPrefix(tenantBytes);
        byte[] start = after == null ? prefix : KeyCodec.itemKey(tenantBytes, after);
        // A dump reads every block of a tenant once: keep it from evicting the hot blocks of the writes.
        try (ReadOptions read = new ReadOptions().setFillCache(false); RocksIterator it = db.newIterator(read)) {
            it.seek(start);
            if (after != null && it.isValid() && Arrays.equals(it.key(), start)) {
                it.next();
            }
            List<String> ids = new ArrayList<>(Math.min(max, 1024));
            while (it.isValid() && ids.size() < max) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    return new IdChunk(ids, null);
                }
                ids.add(KeyCodec.idOf(key));
                it.next();
            }
            it.status();
            boolean complete = !it.isValid() || !startsWith(it.key(), prefix);
            return new IdChunk(ids, complete || ids.isEmpty() ? null : ids.get(ids.size() - 1));
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
