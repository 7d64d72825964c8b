package countapp.store.log;

import countapp.codec.ByteSource;
import java.io.IOException;

/** Called for each intact frame while reading a log: its kind, a reader over its payload, and where it ends. */
interface FrameVisitor {
    /** Return false to stop reading. */
    boolean frame(byte kind, ByteSource payload, LogPosition next) throws IOException;
}
