package countapp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Moves bytes between Vert.x buffers and the byte arrays the codecs read and write, without copying
 * where the buffer is a heap array (as Vert.x hands a socket's and a request body's bytes over): the hot
 * path reads request bodies and channel frames in place and sends frames from the array they were
 * built in.
 */
public final class BufferBytes {
    /** A region of a byte array: {@code array[from..to)}. */
    public record Region(byte[] array, int from, int to) {
        public int length() {
            return to - from;
        }
    }

    /** The readable bytes of {@code buffer}: its own array when it has one, else a copy. */
    public static Region of(Buffer buffer) {
        if (buffer instanceof BufferInternal internal) {
            ByteBuf buf = internal.getByteBuf();
            if (buf.hasArray()) {
                int from = buf.arrayOffset() + buf.readerIndex();
                return new Region(buf.array(), from, from + buf.readableBytes());
            }
        }
        byte[] copy = buffer.getBytes();
        return new Region(copy, 0, copy.length);
    }

    /** A buffer over {@code array[0..length)}, which the caller hands over and must not change afterwards. */
    public static Buffer wrap(byte[] array, int length) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(array, 0, length));
    }

    private BufferBytes() {}
}
