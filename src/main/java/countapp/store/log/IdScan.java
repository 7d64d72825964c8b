package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;

import countapp.store.IdChunk;
import countapp.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One step of listing a tenant's ids: reads the partition's log from a cursor, keeping the tenant's
 * records. The cursor is {@code segment:offset:skip}: the frame to resume at, and how many of the tenant's
 * ids in it were listed already. Runs on the store's scan executor, never on the writer: a dump reads the
 * partition's whole log (every tenant's frames), which must not hold up writes.
 */
final class IdScan {
    private IdScan() {}

    static IdChunk scan(SegmentedLog log, String tenant, String cursor, SegmentedLog.Position end, int max) {
        SegmentedLog.Position from = SegmentedLog.Position.START;
        int skip = 0;
        if (cursor != null) {
            int last = cursor.lastIndexOf(':');
            from = SegmentedLog.Position.parse(cursor.substring(0, last));
            skip = Integer.parseInt(cursor.substring(last + 1));
        }
        byte[] wanted = tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>();
        String[] next = {null};
        SegmentedLog.Position[] frameStart = {from};
        int[] toSkip = {skip};
        try {
            log.read(from, end, (kind, payload, after) -> {
                if (kind == Frames.ADD) {
                    int taken = readFrame(payload, wanted, ids, toSkip[0], max);
                    if (taken >= 0) { // the chunk is full inside this frame: resume in it
                        next[0] = frameStart[0] + ":" + taken;
                        return false;
                    }
                }
                toSkip[0] = 0;
                frameStart[0] = after;
                return true;
            });
        } catch (IOException e) {
            throw new StoreException("listing the ids of a tenant failed: " + e.getMessage(), e);
        }
        return new IdChunk(ids, next[0]);
    }

    /**
     * Adds the frame's ids of the tenant, after skipping {@code skip} of them, until {@code ids} holds
     * {@code max}; returns how many of the tenant's ids in the frame are consumed when it stopped early
     * with ids still left in the frame, else -1.
     */
    private static int readFrame(ByteSource r, byte[] wanted, List<String> ids, int skip, int max) {
        int tenants = r.varint();
        int match = -1;
        for (int t = 0; t < tenants; t++) {
            int length = r.varint();
            int at = r.skip(length);
            if (match < 0 && length == wanted.length
                    && Arrays.equals(r.array(), at, at + length, wanted, 0, length)) {
                match = t;
            }
        }
        if (match < 0) {
            return -1;
        }
        int records = r.varint();
        int seen = 0;
        for (int k = 0; k < records; k++) {
            int t = r.varint();
            int length = r.varint();
            if (t != match) {
                r.skip(length);
                continue;
            }
            if (seen++ < skip) {
                r.skip(length);
                continue;
            }
            if (ids.size() == max) {
                return seen - 1;
            }
            ids.add(r.utf8(length));
        }
        return -1;
    }
}
