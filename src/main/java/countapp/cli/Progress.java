package countapp.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * The progress line of a long {@code countapp post}, on standard error so standard output stays the
 * result. On a terminal it redraws one line in place several times a second; elsewhere (a log, a pipe) it
 * prints a plain line at most every few seconds.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private final long totalBytes;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final long intervalNanos;
    private long lastNanos;
    private boolean shown;

    /** {@code totalBytes} is the input's size, or -1 when unknown (standard input). */
    Progress(PrintWriter err, boolean terminal, long totalBytes, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.totalBytes = totalBytes;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.intervalNanos = terminal ? 200_000_000L : 5_000_000_000L;
    }

    /** Reports progress after a batch; prints only when the last line is old enough (the first at once). */
    void update(long items, long added, long bytesRead) {
        long now = nanoClock.getAsLong();
        if (shown && now - lastNanos < intervalNanos) {
            return;
        }
        lastNanos = now;
        shown = true;
        String line = line(items, added, bytesRead, now);
        if (terminal) {
            err.print("\r\u001b[2K" + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    String line(long items, long added, long bytesRead, long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder("posting: ").append(String.format("%,d", items)).append(" items sent");
        if (totalBytes > 0) {
            sb.append(String.format(" (%d%%)", Math.min(100, bytesRead * 100 / totalBytes)));
        }
        sb.append(String.format(", %,d new, %,.0f items/s", added, items / seconds));
        return sb.toString();
    }

    /** Ends the redrawn line, so what follows starts on a fresh one. */
    void finish() {
        if (shown && terminal) {
            err.println();
            err.flush();
        }
    }
}
