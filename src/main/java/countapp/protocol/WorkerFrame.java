package countapp.protocol;

import countapp.codec.ByteSource;
import org.jspecify.annotations.Nullable;

/**
 * A frame from the worker (see {@link Channel}): the results of a request, or news of a long operation
 * that one of its results said still runs. Closed like {@link Operation}: handled through
 * {@link #on(Cases)}, one method per kind.
 */
public sealed interface WorkerFrame permits Reply, WorkerFrame.Progress, WorkerFrame.Done {
    <R> R on(Cases<R> cases);

    /** What to do with each kind of frame. */
    interface Cases<R> {
        R results(Reply reply);

        R progress(Progress progress);

        R done(Done done);
    }

    /**
     * Operation {@code op} of request {@code requestId} still runs.
     *
     * @param erasedSoFar what it did so far (for a tenant erasure: pairs erased)
     */
    record Progress(int requestId, int op, long erasedSoFar) implements WorkerFrame {
        @Override
        public <R> R on(Cases<R> cases) {
            return cases.progress(this);
        }
    }

    /** Operation {@code op} of request {@code requestId} ended: with {@code value} on 200, else {@code message}. */
    record Done(int requestId, int op, int status, long value, @Nullable String message) implements WorkerFrame {
        @Override
        public <R> R on(Cases<R> cases) {
            return cases.done(this);
        }
    }

    /** Decodes the frame {@code b[from..to)} (after the length field). */
    static WorkerFrame decode(byte[] b, int from, int to) {
        ByteSource in = new ByteSource(b, from, to);
        WorkerFrame frame = switch (WorkerFrameKind.ofCode(in.get())) {
            case RESULTS -> Reply.decode(in, to - from);
            case PROGRESS -> new Progress(Request.readInt(in), in.varint(), in.varlong());
            case DONE -> done(in);
        };
        if (in.hasMore()) {
            throw new ByteSource.MalformedException("trailing bytes after the frame");
        }
        return frame;
    }

    private static Done done(ByteSource in) {
        int requestId = Request.readInt(in);
        int op = in.varint();
        int status = in.varint();
        return status == 200 ? new Done(requestId, op, status, in.varlong(), null)
                : new Done(requestId, op, status, 0, in.string());
    }
}
