package countapp.protocol;

import countapp.codec.ByteSource;

/**
 * The kinds of operation a request frame carries, each with its code on the wire. The codes are written
 * out here, never derived from the declaration order, so reordering or adding a kind cannot change what
 * an existing code means; a code that names no kind is a malformed frame, never a default.
 */
public enum OperationKind implements WireCode {
    ADD(1),
    COUNT(2),
    ERASE(3),
    ERASE_TENANT(4);

    private final byte code;

    OperationKind(int code) {
        this.code = (byte) code;
    }

    @Override
    public byte code() {
        return code;
    }

    /** The kind with wire code {@code code}, or a {@link ByteSource.MalformedException}. */
    public static OperationKind ofCode(byte code) {
        return WireCode.ofCode(values(), code, "operation");
    }
}
