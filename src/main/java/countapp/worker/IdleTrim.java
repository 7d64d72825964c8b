package countapp.worker;

import java.util.function.LongSupplier;

/**
 * Decides when a worker has gone idle after serving requests, so it can hand memory back once per idle
 * spell: a collected, shrunken heap.
 *
 * <p>Why ticks, not a clock: {@link #tick} is called at a fixed period; the worker is idle when the count of
 * finished requests did not move for {@link #QUIET_TICKS} ticks in a row. Tests drive it tick by tick.
 * Confined to the one thread that calls {@link #tick}.
 */
final class IdleTrim {
    static final int QUIET_TICKS = 2;

    private final LongSupplier finishedRequests;
    private final Runnable trim;
    private long lastSeen;
    private long atLastTrim;
    private int quietTicks;

    IdleTrim(LongSupplier finishedRequests, Runnable trim) {
        this.finishedRequests = finishedRequests;
        this.trim = trim;
        this.lastSeen = finishedRequests.getAsLong();
        this.atLastTrim = lastSeen;
    }

    /** True when this tick ran the trim. */
    boolean tick() {
        long now = finishedRequests.getAsLong();
        if (now != lastSeen) {
            lastSeen = now;
            quietTicks = 0;
            return false;
        }
        if (++quietTicks < QUIET_TICKS || now == atLastTrim) {
            return false;
        }
        atLastTrim = now;
        trim.run();
        return true;
    }
}
