package countapp.ops;

import org.jspecify.annotations.Nullable;
import countapp.api.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's {@code GET /status}: every configured worker, the partition table, the config in
 * force, and totals. An immutable snapshot; the coordinator builds one per request.
 *
 * @param time when the snapshot was taken
 * @param pid the coordinator's process id
 * @param uptimeMillis how long the coordinator has been running
 * @param workers the configured workers (and removed ones still retiring), in config order
 * @param owners the partition table: the owner URL of each partition (null without workers)
 * @param config the config in force
 * @param itemsReceived items in valid {@code POST /items} requests since the coordinator started
 * @param itemsAdded new pairs acknowledged since the coordinator started
 * @param forwardRetries requests re-sent to workers since the coordinator started
 * @param trend the recent ingest rates and latencies, as JSON columns (see {@code countapp.metrics.Trend})
 */
public record ClusterStatus(Instant time, long pid, long uptimeMillis, List<WorkerStatus> workers,
        List<String> owners, ConfigStatus config, long itemsReceived, long itemsAdded, long forwardRetries,
        Map<String, Object> trend) {

    public ClusterStatus {
        workers = List.copyOf(workers);
        owners = java.util.Collections.unmodifiableList(new ArrayList<>(owners)); // may hold nulls
        trend = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trend)); // its columns hold nulls
    }

    /** Whether partition {@code p}'s owner is live and has confirmed it owns {@code p}. */
    public boolean confirmed(int p) {
        String owner = owners.get(p);
        for (WorkerStatus w : workers) {
            if (w.url().equals(owner)) {
                return w.state() == WorkerState.LIVE && w.partitions().contains(p);
            }
        }
        return false;
    }

    /** True when every partition is confirmed: requests go straight to their owners. */
    public boolean settled() {
        for (int p = 0; p < owners.size(); p++) {
            if (!confirmed(p)) {
                return false;
            }
        }
        return true;
    }

    /** Why partition {@code p} refuses writes (as its owner reports it), or null while it takes them. */
    public @Nullable String writeBlocked(int p) {
        for (WorkerStatus w : workers) {
            String why = w.writeBlocked().get(Integer.toString(p));
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    public Totals totals() {
        int confirmed = 0;
        for (int p = 0; p < owners.size(); p++) {
            confirmed += confirmed(p) ? 1 : 0;
        }
        return new Totals(workers.size(), inState(WorkerState.LIVE),
                inState(WorkerState.STARTING), inState(WorkerState.DOWN),
                inState(WorkerState.RETIRING), owners.size(), confirmed, itemsReceived, itemsAdded,
                forwardRetries);
    }

    private int inState(WorkerState state) {
        int n = 0;
        for (WorkerStatus w : workers) {
            n += w.state() == state ? 1 : 0;
        }
        return n;
    }

    /** Counts over the snapshot. */
    public record Totals(int workers, int live, int starting, int down, int retiring, int partitions,
            int partitionsConfirmed, long itemsReceived, long itemsAdded, long forwardRetries) {}

    public String toJson() {
        Map<String, Object> coordinator = new LinkedHashMap<>();
        coordinator.put("pid", pid);
        coordinator.put("uptime_s", uptimeMillis / 1000.0);
        coordinator.put("listen", config.config().listen().port());
        coordinator.put("address", config.config().listen().address());
        coordinator.put("loopback_only", config.config().listen().loopback());
        coordinator.put("api_open", config.config().apiOpen());
        List<Object> workerDocs = new ArrayList<>();
        for (WorkerStatus w : workers) {
            workerDocs.add(w.toJson(time));
        }
        List<Object> table = new ArrayList<>();
        for (int p = 0; p < owners.size(); p++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partition", p);
            row.put("owner", owners.get(p));
            row.put("confirmed", confirmed(p));
            row.put("write_blocked", writeBlocked(p));
            table.add(row);
        }
        Totals t = totals();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("workers", t.workers());
        totals.put("live", t.live());
        totals.put("starting", t.starting());
        totals.put("down", t.down());
        totals.put("retiring", t.retiring());
        totals.put("partitions", t.partitions());
        totals.put("partitions_confirmed", t.partitionsConfirmed());
        int blocked = 0;
        for (int p = 0; p < owners.size(); p++) {
            blocked += writeBlocked(p) != null ? 1 : 0;
        }
        totals.put("partitions_write_blocked", blocked);
        totals.put("items_received", t.itemsReceived());
        totals.put("items_added", t.itemsAdded());
        totals.put("forward_retries", t.forwardRetries());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", "ok");
        doc.put("time", time.toString());
        doc.put("settled", settled());
        doc.put("coordinator", coordinator);
        doc.put("workers", workerDocs);
        doc.put("partition_table", table);
        doc.put("config", config.toJson());
        doc.put("totals", totals);
        doc.put("trend", trend);
        return Json.write(doc);
    }
}
