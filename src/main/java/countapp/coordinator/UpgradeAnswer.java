package countapp.coordinator;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The worker's answer to the channel's HTTP/1.1 upgrade request, read as its bytes arrive: its head ends
 * at the first blank line, and only {@code 101} opens the channel. Bytes after the head are the first
 * frames. Confined to the connection's event loop.
 */
final class UpgradeAnswer {
    private static final int MAX_HEAD = 8192;

    private final Buffer head = Buffer.buffer();
    /** Once the head is whole: why the channel is refused, or null when it is open. */
    private @Nullable String problem;
    private boolean complete;
    private @Nullable Buffer rest;

    /** Adds a chunk; true once the answer is complete (or is refused for being too long). */
    boolean feed(Buffer chunk) {
        head.appendBuffer(chunk);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            if (head.length() > MAX_HEAD) {
                problem = "an over-long upgrade answer";
                complete = true;
            }
            return complete;
        }
        complete = true;
        String status = text.substring(0, Math.max(0, text.indexOf("\r\n")));
        problem = status.startsWith("HTTP/1.1 101") ? null : "refused the channel: " + status;
        rest = head.length() > end + 4 ? head.getBuffer(end + 4, head.length()) : null;
        return true;
    }

    /** Why the channel is refused, or null when it is open; valid once {@link #feed} returned true. */
    @Nullable String problem() {
        return complete ? problem : "no complete answer";
    }

    /** Frame bytes that came with the head, or null. */
    @Nullable Buffer rest() {
        return rest;
    }
}
