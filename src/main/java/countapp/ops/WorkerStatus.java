package countapp.ops;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One configured worker on the status page.
 *
 * @param url its URL
 * @param spawned true when the coordinator spawns it (a loopback host), false for a remote worker
 * @param state its state
 * @param pid its process id (from the spawned process or its own health answer), or null if unknown
 * @param uptimeMillis how long its process has been running, or null while it is not live
 * @param partitions the partitions it last confirmed owning
 * @param lastHealthCheck when it was last checked, or null before the first check
 * @param lastHealthCheckOk whether that check succeeded
 * @param lastError why the last failed check failed, or null
 * @param spawns how many times the coordinator started its process
 * @param writeBlocked its partitions that refuse writes now (a full disk), with why
 */
public record WorkerStatus(String url, boolean spawned, WorkerState state, @Nullable Long pid,
        @Nullable Long uptimeMillis, SortedSet<Integer> partitions, @Nullable Instant lastHealthCheck,
        boolean lastHealthCheckOk, @Nullable String lastError,
        long spawns, Map<String, String> writeBlocked) {

    public WorkerStatus {
        partitions = new TreeSet<>(partitions);
        writeBlocked = Map.copyOf(writeBlocked);
    }

    Map<String, Object> toJson(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("spawned", spawned);
        m.put("state", state.label());
        m.put("live", state == WorkerState.LIVE);
        m.put("retiring", state == WorkerState.RETIRING);
        m.put("pid", pid);
        m.put("uptime_s", uptimeMillis == null ? null : uptimeMillis / 1000.0);
        m.put("partitions", List.copyOf(partitions));
        m.put("last_health_check", lastHealthCheck == null ? null : lastHealthCheck.toString());
        m.put("last_health_check_ago_s", lastHealthCheck == null ? null
                : Math.max(0, now.toEpochMilli() - lastHealthCheck.toEpochMilli()) / 1000.0);
        m.put("last_health_check_ok", lastHealthCheckOk);
        m.put("last_error", lastError);
        m.put("spawns", spawns);
        m.put("write_blocked", new java.util.TreeMap<>(writeBlocked));
        return m;
    }
}
