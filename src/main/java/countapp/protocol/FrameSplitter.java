package countapp.protocol;

import countapp.codec.BufferBytes;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into frames (u32 big-endian length, then that many bytes) and hands each frame's
 * bytes after the length to {@code frames} as (array, from, to). Bytes that arrive split across reads are
 * kept until their frame is whole; a length beyond {@link Channel#MAX_FRAME} is a protocol error.
 * Confined to the connection's event loop.
 */
public final class FrameSplitter implements Handler<Buffer> {
    /** Receives one frame: {@code bytes[from..to)} is valid only during the call. */
    public interface FrameHandler {
        void frame(byte[] bytes, int from, int to);
    }

    private final FrameHandler frames;
    private final Consumer<String> protocolError;
    private byte[] pending = new byte[0];
    private int pendingLength;

    public FrameSplitter(FrameHandler frames, Consumer<String> protocolError) {
        this.frames = frames;
        this.protocolError = protocolError;
    }

    @Override
    public void handle(Buffer chunk) {
        byte[] b;
        int pos = 0;
        int end;
        if (pendingLength == 0) { // frames are read in place, in the chunk's own array
            BufferBytes.Region region = BufferBytes.of(chunk);
            b = region.array();
            pos = region.from();
            end = region.to();
        } else {
            int n = chunk.length();
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
            }
            chunk.getBytes(0, n, pending, pendingLength);
            pendingLength += n;
            b = pending;
            end = pendingLength;
        }
        int start = pos;
        while (end - pos >= 4) {
            int length = (b[pos] & 0xff) << 24 | (b[pos + 1] & 0xff) << 16 | (b[pos + 2] & 0xff) << 8 | (b[pos + 3] & 0xff);
            if (length < 5 || length > Channel.MAX_FRAME) { // the shortest frame: a kind and an id
                protocolError.accept("frame length " + length + " out of range");
                pendingLength = 0;
                return;
            }
            if (end - pos - 4 < length) {
                break;
            }
            frames.frame(b, pos + 4, pos + 4 + length);
            pos += 4 + length;
        }
        int left = end - pos;
        if (left > 0) {
            if (b != pending || pos > start) {
                if (pending.length < left) {
                    pending = new byte[Math.max(left, 4096)];
                }
                System.arraycopy(b, pos, pending, 0, left);
            }
        } else if (pending.length > 1 << 20) {
            pending = new byte[0]; // do not keep a large frame's buffer for good
        }
        pendingLength = left;
    }
}
