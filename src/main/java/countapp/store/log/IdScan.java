package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;

import countapp.store.IdChunk;
import countapp.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of listing a tenant's ids: reads the partition's log from a cursor, keeping the tenant's
 * records. Runs on the store's scan executor, never on the writer: a dump reads the partition's whole log
 * (every tenant's frames), which must not hold up writes. The caller pins the segments from the cursor on
 * (see {@link SegmentPins}) so that a compaction leaves them alone while the scan goes on.
 */
final class IdScan {
    private IdScan() {}

    /**
     * Where a scan resumes: the frame at {@code offset} of segment {@code segment} as it was in generation
     * {@code generation} (see {@link SegmentFiles}), and how many of the tenant's ids in it were listed
     * already. Written {@code segment:generation:offset:skip}; the {@code segment:offset:skip} of earlier
     * versions reads as generation 0, the only one they knew.
     */
    record Cursor(long segment, int generation, long offset, int skip) {
        /** The log's start: offset 0 of segment 1 means the same in every generation. */
        static final Cursor START = new Cursor(1, -1, 0, 0);

        static Cursor parse(@Nullable String cursor) {
            if (cursor == null) {
                return START;
            }
            String[] parts = cursor.split(":", -1);
            try {
                if (parts.length == 3) {
                    return new Cursor(Long.parseLong(parts[0]), 0, Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
                }
                if (parts.length == 4) {
                    return new Cursor(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                            Integer.parseInt(parts[3]));
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
            throw new IllegalArgumentException("not a cursor of this store's id listings: " + cursor);
        }

        LogPosition position() {
            return new LogPosition(segment, offset);
        }

        @Override
        public String toString() {
            return segment + ":" + generation + ":" + offset + ":" + skip;
        }
    }

    static IdChunk scan(SegmentedLog log, String tenant, Cursor cursor, LogPosition end, int max) {
        byte[] wanted = tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>();
        String[] next = {null};
        LogPosition[] frameStart = {cursor.position()};
        int[] toSkip = {cursor.skip()};
        int generation = cursor.offset() == 0 && cursor.skip() == 0 ? -1 : cursor.generation();
        try {
            log.read(cursor.position(), generation, end, (kind, payload, after) -> {
                if (kind == Frames.ADD) {
                    int taken = readFrame(payload, wanted, ids, toSkip[0], max);
                    if (taken >= 0) { // the chunk is full inside this frame: resume in it
                        long seq = frameStart[0].segment();
                        next[0] = new Cursor(seq, log.generation(seq), frameStart[0].offset(), taken).toString();
                        return false;
                    }
                }
                toSkip[0] = 0;
                frameStart[0] = after;
                return true;
            });
        } catch (IOException e) {
            throw new StoreException("listing the ids of a tenant failed: " + e, e);
        }
        return new IdChunk(ids, next[0]);
    }

    /**
     * Adds the frame's ids of the tenant, after skipping {@code skip} of them, until {@code ids} holds
     * {@code max}; returns how many of the tenant's ids in the frame are consumed when it stopped early
     * with ids still left in the frame, else -1.
     */
    private static int readFrame(ByteSource r, byte[] wanted, List<String> ids, int skip, int max) {
        int[] match = {-1};
        int[] seen = {0};
        int[] stoppedAt = {-1};
        Frames.readPairs(r, new Frames.PairSink() {
            @Override
            public void tenant(int index, byte[] array, int at, int length) {
                if (match[0] < 0 && length == wanted.length && Arrays.equals(array, at, at + length, wanted, 0, length)) {
                    match[0] = index;
                }
            }

            @Override
            public boolean records() {
                return match[0] >= 0;
            }

            @Override
            public boolean record(int tenant, byte[] array, int at, int length) {
                if (tenant != match[0] || seen[0]++ < skip) {
                    return true;
                }
                if (ids.size() == max) {
                    stoppedAt[0] = seen[0] - 1;
                    return false;
                }
                ids.add(new String(array, at, length, java.nio.charset.StandardCharsets.UTF_8));
                return true;
            }
        });
        return stoppedAt[0];
    }
}
