package countapp.protocol;

import countapp.codec.ByteSink;
import io.vertx.core.buffer.Buffer;

/** Builds one reply frame (see {@link Channel}): one result per operation of the request, in order. */
public final class ReplyWriter {
    private final ByteSink sink = new ByteSink(256);
    private int results;

    public ReplyWriter(int requestId) {
        sink.setLength(12);
        sink.putIntBE(4, requestId);
    }

    /** A successful operation: pairs added, or the count. */
    public void ok(long value) {
        sink.putVarint(200);
        sink.putVarlong(value);
        results++;
    }

    public void error(int status, String message) {
        sink.putVarint(status);
        sink.putString(message == null ? "" : message);
        results++;
    }

    public Buffer finish() {
        sink.putIntBE(0, sink.length() - 4);
        sink.putIntBE(8, results);
        return Buffer.buffer(java.util.Arrays.copyOf(sink.array(), sink.length()));
    }
}
