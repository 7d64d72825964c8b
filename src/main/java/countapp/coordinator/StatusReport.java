package countapp.coordinator;

import countapp.metrics.ForwardMetrics;
import countapp.metrics.IngestMetrics;
import countapp.metrics.Trend;
import countapp.ops.ClusterStatus;
import countapp.ops.ConfigStatus;
import countapp.ops.WorkerState;
import countapp.ops.WorkerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Builds the {@code GET /status} snapshot from the supervisor's volatile view of its workers. */
final class StatusReport {
    private final Supervisor supervisor;
    private final ConfigWatcher config;
    private final IngestMetrics ingest;
    private final ForwardMetrics forward;
    private final Trend trend;
    private final long startedNanos = System.nanoTime();

    StatusReport(Supervisor supervisor, ConfigWatcher config, IngestMetrics ingest, ForwardMetrics forward, Trend trend) {
        this.supervisor = supervisor;
        this.config = config;
        this.ingest = ingest;
        this.forward = forward;
        this.trend = trend;
    }

    ClusterStatus snapshot() {
        long now = System.currentTimeMillis();
        List<WorkerStatus> workers = new ArrayList<>();
        for (WorkerHandle w : supervisor.workers()) {
            workers.add(worker(w, now));
        }
        ConfigStatus configStatus = new ConfigStatus(supervisor.config(), supervisor.partitions(),
                config.loadedAt(), config.checkedAt(), config.lastError(), config.pendingRestart());
        return new ClusterStatus(Instant.ofEpochMilli(now), ProcessHandle.current().pid(),
                (System.nanoTime() - startedNanos) / 1_000_000, workers, supervisor.routing().ownerUrls(),
                configStatus, ingest.receivedTotal(), ingest.addedTotal(), forward.retriesTotal(), trend.toJson());
    }

    private static WorkerStatus worker(WorkerHandle w, long now) {
        boolean live = w.live;
        long pid = w.knownPid();
        long started = w.startedAtMillis;
        long lastCheck = w.lastCheckMillis;
        return new WorkerStatus(w.url(), w.endpoint.local(), WorkerState.of(live, w.leaving(), w.starting()),
                pid < 0 ? null : pid, live && started > 0 ? Math.max(0, now - started) : null, new TreeSet<>(w.owned),
                lastCheck == 0 ? null : Instant.ofEpochMilli(lastCheck), w.lastCheckOk, w.lastError,
                w.meters.spawnCount(), w.writeBlocked);
    }
}
