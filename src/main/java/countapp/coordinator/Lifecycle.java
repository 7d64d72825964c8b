package countapp.coordinator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a configured worker is in its life, as the supervisor sees it; whether it answers health checks
 * ({@link WorkerHandle#live}) is tracked beside it. Only the transitions below are legal; any other is a
 * bug and throws (see {@link WorkerHandle#move}).
 *
 * <pre>
 *   STARTING ──answers──▶ RUNNING ──process exits──▶ EXITED ──respawned──▶ STARTING
 *       │                   │                          └──removed──▶ GONE (nothing to stop)
 *       └──removed──▶ RETIRING ◀──removed──┘
 *                     │  │  └──re-added──▶ RUNNING (or STARTING if never heard from)
 *                     │  └──process exited──▶ GONE
 *                     └──partitions moved away (or not answering): /kill──▶ STOPPING
 *   STOPPING ──process exits──▶ GONE          STOPPING ──re-added──▶ RESTARTING
 *   RESTARTING ──old process exits──▶ STARTING (spawned again)
 *   RESTARTING ──removed again──▶ STOPPING
 * </pre>
 *
 * A remote worker (not spawned here) never EXITs, RESTARTs or respawns: it is STARTING until it first
 * answers, RUNNING while configured, and GONE as soon as its {@code /kill} is sent.
 */
enum Lifecycle {
    /** Spawned (or, remote, configured) and not heard from yet. */
    STARTING,
    /** In the config and heard from: routed to while it answers. */
    RUNNING,
    /** Its process exited unexpectedly; a respawn is scheduled. */
    EXITED,
    /** Removed from the config: its partitions move to the others, then it gets a graceful {@code /kill}. */
    RETIRING,
    /** The {@code /kill} is sent; waiting for the process to exit (then SIGKILL after a grace period). */
    STOPPING,
    /** Put back in the config while stopping: spawned again once the old process has exited. */
    RESTARTING,
    /** Stopped and forgotten. */
    GONE;

    private Set<Lifecycle> next() {
        switch (this) {
            case STARTING: return EnumSet.of(RUNNING, EXITED, RETIRING);
            case RUNNING: return EnumSet.of(EXITED, RETIRING);
            case EXITED: return EnumSet.of(STARTING, GONE);
            case RETIRING: return EnumSet.of(RUNNING, STARTING, STOPPING, GONE);
            case STOPPING: return EnumSet.of(RESTARTING, GONE);
            case RESTARTING: return EnumSet.of(STARTING, STOPPING);
            default: return EnumSet.noneOf(Lifecycle.class);
        }
    }

    boolean canMoveTo(Lifecycle to) {
        return next().contains(to);
    }

    /** Still wanted by the config: its process should run. */
    boolean wanted() {
        return this == STARTING || this == RUNNING || this == EXITED || this == RESTARTING;
    }

    /** Removed from the config, on its way out. */
    boolean leaving() {
        return this == RETIRING || this == STOPPING;
    }
}
