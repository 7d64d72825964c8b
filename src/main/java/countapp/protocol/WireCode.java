package countapp.protocol;

import countapp.codec.ByteSource;

/** A kind with a fixed code on the wire, written out, never derived from an enum's declaration order. */
interface WireCode {
    byte code();

    /** The one of {@code kinds} whose code is {@code code}, or a {@link ByteSource.MalformedException} naming {@code what}. */
    static <K extends WireCode> K ofCode(K[] kinds, byte code, String what) {
        for (K kind : kinds) {
            if (kind.code() == code) {
                return kind;
            }
        }
        throw new ByteSource.MalformedException("unknown " + what + " code " + code);
    }
}
