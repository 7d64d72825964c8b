package countapp.protocol;

import countapp.codec.BufferBytes;
import countapp.codec.ByteSink;
import io.vertx.core.buffer.Buffer;

/**
 * Builds the worker's frames (see {@link Channel}): one results frame per request, one result per
 * operation in order; and the progress and done frames of the long operations a results frame left running.
 */
public final class ReplyWriter {
    private final ByteSink sink = new ByteSink(256);
    private int results;

    public ReplyWriter(int requestId) {
        sink.setLength(4); // the length, filled in by finish()
        sink.put(WorkerFrameKind.RESULTS.code());
        sink.setLength(13);
        sink.putIntBE(5, requestId);
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

    /** An operation that goes on: a {@link #done} frame will carry its result. */
    public void running(String what) {
        error(Channel.RUNNING, what);
    }

    public Buffer finish() {
        sink.putIntBE(0, sink.length() - 4);
        sink.putIntBE(9, results);
        return BufferBytes.wrap(sink.array(), sink.length()); // the writer is done: no copy
    }

    /** A progress frame: operation {@code op} of request {@code requestId} still runs. */
    public static Buffer progress(int requestId, int op, long erasedSoFar) {
        ByteSink s = header(WorkerFrameKind.PROGRESS, requestId, op);
        s.putVarlong(erasedSoFar);
        return sealed(s);
    }

    /** A done frame: operation {@code op} of request {@code requestId} ended with {@code value}. */
    public static Buffer done(int requestId, int op, long value) {
        ByteSink s = header(WorkerFrameKind.DONE, requestId, op);
        s.putVarint(200);
        s.putVarlong(value);
        return sealed(s);
    }

    /** A done frame: operation {@code op} of request {@code requestId} failed. */
    public static Buffer failed(int requestId, int op, int status, String message) {
        ByteSink s = header(WorkerFrameKind.DONE, requestId, op);
        s.putVarint(status);
        s.putString(message == null ? "" : message);
        return sealed(s);
    }

    private static ByteSink header(WorkerFrameKind kind, int requestId, int op) {
        ByteSink s = new ByteSink(32);
        s.setLength(4);
        s.put(kind.code());
        s.setLength(9);
        s.putIntBE(5, requestId);
        s.putVarint(op);
        return s;
    }

    private static Buffer sealed(ByteSink s) {
        s.putIntBE(0, s.length() - 4);
        return BufferBytes.wrap(s.array(), s.length());
    }
}
