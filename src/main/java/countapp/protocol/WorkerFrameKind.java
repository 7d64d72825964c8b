package countapp.protocol;

import countapp.codec.ByteSource;

/**
 * The kinds of frame a worker sends back on the channel, each with its code on the wire (written out,
 * never derived from the declaration order). An unknown code is a malformed frame.
 */
public enum WorkerFrameKind implements WireCode {
    /** The results of one request frame, one per operation. */
    RESULTS(1),
    /** A long operation still runs: how far it got. */
    PROGRESS(2),
    /** A long operation ended: its result. */
    DONE(3);

    private final byte code;

    WorkerFrameKind(int code) {
        this.code = (byte) code;
    }

    @Override
    public byte code() {
        return code;
    }

    /** The kind with wire code {@code code}, or a {@link ByteSource.MalformedException}. */
    public static WorkerFrameKind ofCode(byte code) {
        return WireCode.ofCode(values(), code, "worker frame");
    }
}
