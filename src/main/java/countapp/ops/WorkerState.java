package countapp.ops;

import java.util.Locale;

/** A worker's state as the status page shows it. */
public enum WorkerState {
    /** Answers health checks: requests are routed to it. */
    LIVE,
    /** Spawned and not yet answering: the JVM is starting and the partitions opening. */
    STARTING,
    /** Not answering (dead, stalled, or between respawns): its partitions are served by others. */
    DOWN,
    /** Removed from the config: its partitions move away, then it is stopped. */
    RETIRING;

    /** Removal wins over everything, then liveness; a spawned process not yet heard from is starting. */
    public static WorkerState of(boolean live, boolean retiring, boolean awaitingFirstAnswer) {
        if (retiring) {
            return RETIRING;
        }
        if (live) {
            return LIVE;
        }
        return awaitingFirstAnswer ? STARTING : DOWN;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
