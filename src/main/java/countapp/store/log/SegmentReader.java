package countapp.store.log;

import countapp.codec.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Reads a {@link SegmentedLog}'s segment files frame by frame (the frame header of {@link Frames}), with
 * file handles of its own: the replay when a log opens, and the scans that run beside the writer.
 * Stateless; a read stops at the limit it is given, so it never sees a frame being written.
 */
final class SegmentReader {
    private SegmentReader() {}

    /**
     * Replays the segments {@code found} in {@code dir} from {@code from} through {@code visitor}, and returns
     * the end of the intact frames in the last segment. A torn or corrupt frame at the end of the last
     * segment holding anything is cut off (a crash while writing it, so never acknowledged); one anywhere
     * else means damaged data, and the replay fails rather than lose it silently.
     */
    static LogPosition replay(Path dir, NavigableMap<Long, Integer> found, LogPosition from,
            FrameVisitor visitor) throws IOException {
        // A segment created ahead of its roll (see prepareNext) may follow the one a crash tore: the torn tail
        // that is cut off is the one of the last segment holding anything.
        long lastSeq = found.lastKey();
        long lastWritten = lastSeq;
        while (lastWritten > found.firstKey() && found.containsKey(lastWritten)
                && Files.size(SegmentFiles.file(dir, lastWritten, found.get(lastWritten))) == 0) {
            lastWritten--;
        }
        for (Map.Entry<Long, Integer> e : found.tailMap(from.segment(), true).entrySet()) {
            long seq = e.getKey();
            Path file = SegmentFiles.file(dir, seq, e.getValue());
            boolean last = seq == lastSeq;
            long start = seq == from.segment() ? from.offset() : 0;
            long intact = readSegment(file, start, Long.MAX_VALUE, seq, visitor, seq < lastWritten);
            if (!last && intact < Files.size(file)) {
                try (FileChannel torn = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    torn.truncate(intact);
                    torn.force(true);
                }
            }
            if (last) {
                return new LogPosition(seq, intact);
            }
        }
        throw new IOException("log position " + from + " is past the last segment in " + dir);
    }

    /**
     * Visits the intact frames of {@code segments} (number to generation, in log order) from {@code from} up
     * to {@code until}; a damaged frame throws.
     */
    static void read(Path dir, Map<Long, Integer> segments, LogPosition from, LogPosition until,
            FrameVisitor visitor) throws IOException {
        boolean[] stopped = {false};
        FrameVisitor stopping = (kind, payload, next) -> {
            boolean go = visitor.frame(kind, payload, next);
            stopped[0] = !go;
            return go;
        };
        for (Map.Entry<Long, Integer> e : segments.entrySet()) {
            long seq = e.getKey();
            long start = seq == from.segment() ? from.offset() : 0;
            long limit = seq == until.segment() ? until.offset() : Long.MAX_VALUE;
            if (start < limit) {
                readSegment(SegmentFiles.file(dir, seq, e.getValue()), start, limit, seq, stopping, true);
            }
            if (stopped[0]) {
                return;
            }
        }
    }

    /**
     * Visits the intact frames of one segment file from {@code offset} up to {@code limit}; returns the
     * offset after the last intact frame. With {@code strict}, a damaged frame throws instead of ending the read.
     */
    private static long readSegment(Path file, long offset, long limit, long seq, FrameVisitor visitor, boolean strict)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = Math.min(limit, ch.size());
            byte[] buf = new byte[1 << 20];
            long pos = offset;
            while (pos < end) {
                if (end - pos < Frames.HEADER) {
                    return damaged(strict, file, pos, "a truncated frame header");
                }
                readFully(ch, buf, 0, Frames.HEADER, pos);
                int length = Frames.intLE(buf, 0);
                int crc = Frames.intLE(buf, 4);
                if (length <= 0 || length > Frames.MAX_PAYLOAD || pos + Frames.HEADER + length > end) {
                    return damaged(strict, file, pos, "a frame length of " + length);
                }
                if (buf.length < length) {
                    buf = new byte[Math.max(length, buf.length * 2)];
                }
                readFully(ch, buf, 0, length, pos + Frames.HEADER);
                if (!Frames.crcMatches(buf, 0, length, crc)) {
                    return damaged(strict, file, pos, "a checksum mismatch");
                }
                long next = pos + Frames.HEADER + length;
                ByteSource payload = new ByteSource(buf, 1, length);
                if (!visitor.frame(buf[0], payload, new LogPosition(seq, next))) {
                    return next;
                }
                pos = next;
            }
            return pos;
        }
    }

    private static long damaged(boolean strict, Path file, long pos, String what) throws IOException {
        if (strict) {
            throw new IOException("damaged log " + file + " at byte " + pos + ": " + what);
        }
        return pos;
    }

    private static void readFully(FileChannel ch, byte[] buf, int off, int len, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, position + bb.position() - off) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

}
