package countapp.ops;

import org.jspecify.annotations.Nullable;
import countapp.config.Config;
import countapp.config.WorkerEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config in force and the history of its file.
 *
 * @param config the config in force
 * @param databasePartitions the partition count of the database (fixed when it was created)
 * @param loadedAt when the config in force was read
 * @param checkedAt when the file was last re-read
 * @param lastError why the last re-read was refused (the config in force stayed), or null
 * @param pendingRestart the keys read only at start ({@code database}, {@code partitions}, {@code listen},
 *     {@code allow_open}, {@code windows})
 *     whose value in the file differs from the value in force (shown in {@code settings}): changed on disk,
 *     applied by a restart. Names only, never values.
 */
public record ConfigStatus(Config config, int databasePartitions, Instant loadedAt, Instant checkedAt,
        @Nullable String lastError, List<String> pendingRestart) {

    public ConfigStatus {
        pendingRestart = List.copyOf(pendingRestart);
    }

    /** A config whose file matches it. */
    public ConfigStatus(Config config, int databasePartitions, Instant loadedAt, Instant checkedAt, @Nullable String lastError) {
        this(config, databasePartitions, loadedAt, checkedAt, lastError, List.of());
    }

    Map<String, Object> toJson() {
        List<String> workers = new ArrayList<>();
        for (WorkerEndpoint w : config.workers()) {
            workers.add(w.url());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("workers", workers);
        settings.put("database", config.databaseName());
        settings.put("worker_logs", config.workerLogs().toString());
        settings.put("worker_persist", seconds(config.workerPersist().toMillis()));
        settings.put("config_check", seconds(config.configCheck().toMillis()));
        settings.put("listen", config.listen().toString());
        settings.put("allow_open", config.allowOpen());
        settings.put("health_check", seconds(config.healthCheck().toMillis()));
        settings.put("partitions", config.partitions());
        settings.put("worker_bind", config.workerBind());
        settings.put("limits", limits(config.limits()));
        settings.put("auth", config.auth().enabled() ? "on" : "off"); // never the keys themselves
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", config.source().toString());
        m.put("loaded_at", loadedAt.toString());
        m.put("checked_at", checkedAt == null ? null : checkedAt.toString());
        m.put("last_error", lastError);
        m.put("pending_restart", pendingRestart);
        m.put("database_partitions", databasePartitions);
        m.put("settings", settings);
        return m;
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    private static Map<String, Object> limits(countapp.model.Limits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_body_bytes", l.maxBodyBytes());
        m.put("max_items", l.maxItems());
        m.put("max_value_bytes", l.maxValueBytes());
        m.put("max_header_bytes", l.maxHeaderBytes());
        m.put("request_timeout", seconds(l.requestTimeout().toMillis()));
        m.put("max_connections", l.maxConnections());
        return m;
    }
}
