package countapp.store.log;

import countapp.codec.ByteSink;
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

    static int intLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static boolean crcMatches(byte[] b, int payloadStart, int payloadLength, int expected) {
        CRC32C crc = new CRC32C();
        crc.update(b, payloadStart, payloadLength);
        return (int) crc.getValue() == expected;
    }

}
