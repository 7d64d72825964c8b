package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;
import java.util.zip.CRC32C;

/**
 * The log's on-disk frames. Each group commit of a partition appends one frame:
 *
 * <pre>
 *   u32 payload length (little-endian) | u32 CRC32C of the payload | payload
 *   payload = u8 kind | varint tenants | tenants × (varint length, UTF-8) | varint records | records
 *   ADD and ERASE record = varint tenant index | varint id length | id UTF-8
 * </pre>
 *
 * A frame names each of its tenants once, so a batch of one tenant's ids costs about the ids' own bytes.
 * A frame is acknowledged only once written whole; a torn or corrupt frame at the end of the log is cut
 * off when the partition opens.
 */
final class Frames {
    static final int HEADER = 8;
    static final byte ADD = 1;
    /** Pairs erased: the same layout as ADD; a replay takes them out of the index. */
    static final byte ERASE = 2;
    /** Far above any group the writer builds; a larger length field means a corrupt header. */
    static final int MAX_PAYLOAD = 256 << 20;

    private Frames() {}

    /** Fills in the header of the frame whose payload runs from {@code start + HEADER} to the sink's end. */
    static void seal(ByteSink sink, int start) {
        int payload = sink.length() - start - HEADER;
        CRC32C crc = new CRC32C();
        crc.update(sink.array(), start + HEADER, payload);
        sink.putIntLE(start, payload);
        sink.putIntLE(start + 4, (int) crc.getValue());
    }

    /**
     * Writes a whole ADD or ERASE frame into {@code frame} (reset first): the kind, the tenants' prefixes
     * (each already varint length + UTF-8), the record count and the records (varint tenant index, varint
     * id length, id), then the header. The one place this layout is written.
     */
    static void writePairs(ByteSink frame, byte kind, java.util.List<byte[]> prefixes, int count, ByteSink records) {
        frame.reset();
        frame.setLength(HEADER);
        frame.put(kind);
        frame.putVarint(prefixes.size());
        for (byte[] prefix : prefixes) {
            frame.putBytes(prefix, 0, prefix.length);
        }
        frame.putVarint(count);
        frame.putBytes(records.array(), 0, records.length());
        seal(frame, 0);
    }

    /** Receives the parts of a pair frame's payload, in order, from {@link #readPairs}. */
    interface PairSink {
        /** The frame's tenant number {@code index}: its UTF-8 name is {@code array[at, at + length)}. */
        void tenant(int index, byte[] array, int at, int length);

        /** Called once the tenants are read; false skips the records. */
        default boolean records() {
            return true;
        }

        /** One record: its tenant's number and its id's UTF-8 bytes; false stops the read. */
        boolean record(int tenant, byte[] array, int at, int length);
    }

    /** Reads an ADD or ERASE payload (after its kind byte) into {@code sink}. The one place this layout is read. */
    static void readPairs(ByteSource r, PairSink sink) {
        int tenants = r.varint();
        for (int t = 0; t < tenants; t++) {
            int length = r.varint();
            int at = r.skip(length);
            sink.tenant(t, r.array(), at, length);
        }
        if (!sink.records()) {
            return;
        }
        int records = r.varint();
        for (int k = 0; k < records; k++) {
            int t = r.varint();
            if (t < 0 || t >= tenants) {
                throw new ByteSource.MalformedException("a record of tenant " + t + " in a frame of " + tenants);
            }
            int length = r.varint();
            int at = r.skip(length);
            if (!sink.record(t, r.array(), at, length)) {
                return;
            }
        }
    }

    static int intLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static boolean crcMatches(byte[] b, int payloadStart, int payloadLength, int expected) {
        CRC32C crc = new CRC32C();
        crc.update(b, payloadStart, payloadLength);
        return (int) crc.getValue() == expected;
    }

}
