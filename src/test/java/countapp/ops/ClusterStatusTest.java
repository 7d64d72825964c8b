package countapp.ops;

import org.jspecify.annotations.Nullable;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.Config;
import countapp.config.WorkerEndpoint;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {
    private static final String A = "http://localhost:5001";
    private static final String B = "http://localhost:5002";
    private static final String R = "http://10.0.0.9:5003";
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private static WorkerStatus worker(String url, WorkerState state, Integer... partitions) {
        return new WorkerStatus(url, !url.equals(R), state, 100L, state == WorkerState.LIVE ? 65_000L : null,
                new TreeSet<>(Arrays.asList(partitions)), NOW.minusMillis(300), state == WorkerState.LIVE,
                state == WorkerState.LIVE ? null : "connection refused", 1, java.util.Map.of());
    }

    private static ConfigStatus config() {
        Config c = new Config(List.of(new WorkerEndpoint(A, "localhost", 5001, true),
                new WorkerEndpoint(B, "localhost", 5002, true), new WorkerEndpoint(R, "10.0.0.9", 5003, false)),
                Path.of("db"), null, Path.of("logs"), Duration.ofSeconds(5), Duration.ofSeconds(5), countapp.config.Listen.DEFAULT, false,
                Duration.ofMillis(250), Duration.ofSeconds(30), 4, "127.0.0.1", null, countapp.model.Limits.DEFAULT, countapp.config.Auth.OFF,
                countapp.model.Retention.NONE, Path.of("config.yaml"));
        return new ConfigStatus(c, 4, NOW.minusSeconds(60), NOW.minusSeconds(2), null);
    }

    private static ClusterStatus status(List<WorkerStatus> workers, @Nullable String... owners) {
        return new ClusterStatus(NOW, 42, 90_000, workers, new ArrayList<>(Arrays.asList(owners)), config(), 10, 7, 1,
                java.util.Map.of("received_per_s", List.of(1.5, 2.0)));
    }

    @Test
    void settled_everyOwnerLiveAndConfirmed_true() {
        ClusterStatus s = status(List.of(worker(A, WorkerState.LIVE, 0, 2), worker(B, WorkerState.LIVE, 1, 3)), A, B, A, B);

        assertThat(s.settled()).isTrue();
        assertThat(s.totals().partitionsConfirmed()).isEqualTo(4);
    }

    @Test
    void settled_ownerNotYetConfirmingAPartition_falseAndThatPartitionUnconfirmed() {
        ClusterStatus s = status(List.of(worker(A, WorkerState.LIVE, 0), worker(B, WorkerState.LIVE, 1, 3)), A, B, A, B);

        assertThat(s.settled()).isFalse();
        assertThat(s.confirmed(2)).isFalse();
        assertThat(s.confirmed(0)).isTrue();
        assertThat(s.totals().partitionsConfirmed()).isEqualTo(3);
    }

    @Test
    void settled_ownerDown_false() {
        ClusterStatus s = status(List.of(worker(A, WorkerState.DOWN, 0, 1)), A, A);

        assertThat(s.settled()).isFalse();
    }

    @Test
    void settled_noWorkersForAPartition_false() {
        ClusterStatus s = status(List.of(), (String) null);

        assertThat(s.settled()).isFalse();
    }

    @Test
    void totals_workersByState_countedOnce() {
        ClusterStatus s = status(List.of(worker(A, WorkerState.LIVE, 0, 1), worker(B, WorkerState.STARTING),
                worker(R, WorkerState.DOWN), worker("http://localhost:5009", WorkerState.RETIRING)), A, A);

        ClusterStatus.Totals t = s.totals();

        assertThat(List.of(t.workers(), t.live(), t.starting(), t.down(), t.retiring())).containsExactly(4, 1, 1, 1, 1);
        assertThat(List.of(t.itemsReceived(), t.itemsAdded(), t.forwardRetries())).containsExactly(10L, 7L, 1L);
    }

    @Test
    void toJson_fullSnapshot_namesEveryWorkerTheTableConfigAndTotals() {
        ClusterStatus s = status(List.of(worker(A, WorkerState.LIVE, 0, 2), worker(B, WorkerState.LIVE, 1, 3),
                worker(R, WorkerState.DOWN)), A, B, A, B);

        JsonObject json = new JsonObject(s.toJson());

        assertThat(json.getBoolean("settled")).isTrue();
        assertThat(json.getJsonObject("coordinator").getMap()).containsEntry("pid", 42).containsEntry("listen", 5000);
        JsonObject a = json.getJsonArray("workers").getJsonObject(0);
        assertThat(a.getString("url")).isEqualTo(A);
        assertThat(a.getString("state")).isEqualTo("live");
        assertThat(a.getBoolean("live")).isTrue();
        assertThat(a.getDouble("uptime_s")).isEqualTo(65.0);
        assertThat(a.getJsonArray("partitions")).containsExactly(0, 2);
        assertThat(a.getDouble("last_health_check_ago_s")).isEqualTo(0.3);
        JsonObject r = json.getJsonArray("workers").getJsonObject(2);
        assertThat(r.getBoolean("spawned")).isFalse();
        assertThat(r.getString("state")).isEqualTo("down");
        assertThat(r.getValue("uptime_s")).isNull();
        assertThat(r.getString("last_error")).isEqualTo("connection refused");
        assertThat(json.getJsonArray("partition_table").getJsonObject(3).getMap())
                .containsEntry("partition", 3).containsEntry("owner", B).containsEntry("confirmed", true);
        JsonObject config = json.getJsonObject("config");
        assertThat(config.getString("loaded_at")).isEqualTo("2025-01-01T11:59:00Z");
        assertThat(config.getJsonObject("settings").getJsonArray("workers")).containsExactly(A, B, R);
        assertThat(config.getJsonObject("settings").getDouble("health_check")).isEqualTo(0.25);
        assertThat(json.getJsonObject("totals").getMap()).containsEntry("workers", 3).containsEntry("live", 2)
                .containsEntry("down", 1).containsEntry("items_received", 10);
    }

    @Test
    void toJson_startOnlyKeysChangedOnDisk_listedAsPendingRestartByNameOnly() {
        ConfigStatus edited = new ConfigStatus(config().config(), 4, NOW.minusSeconds(60), NOW.minusSeconds(2), null,
                List.of("database", "partitions"));
        ClusterStatus s = new ClusterStatus(NOW, 42, 90_000, List.of(), new ArrayList<>(), edited, 0, 0, 0, java.util.Map.of());

        JsonObject config = new JsonObject(s.toJson()).getJsonObject("config");

        assertThat(config.getJsonArray("pending_restart")).containsExactly("database", "partitions");
        assertThat(config.getJsonObject("settings").getString("database")).as("the value in force").isEqualTo("db");
        assertThat(new JsonObject(status(List.of(), (String) null).toJson()).getJsonObject("config")
                .getJsonArray("pending_restart")).isEmpty();
    }

    @Test
    void workerStateOf_retiringWinsThenLiveThenStarting() {
        assertThat(WorkerState.of(true, true, false)).isEqualTo(WorkerState.RETIRING);
        assertThat(WorkerState.of(true, false, true)).isEqualTo(WorkerState.LIVE);
        assertThat(WorkerState.of(false, false, true)).isEqualTo(WorkerState.STARTING);
        assertThat(WorkerState.of(false, false, false)).isEqualTo(WorkerState.DOWN);
        assertThat(WorkerState.DOWN.label()).isEqualTo("down");
    }

    @Test
    void workerStatus_partitions_copiedSorted() {
        Set<Integer> given = new java.util.HashSet<>(List.of(9, 1, 5));

        WorkerStatus w = new WorkerStatus(A, true, WorkerState.LIVE, 1L, 1L, new TreeSet<>(given), null, false, null, 0, java.util.Map.of());
        given.clear();

        assertThat(w.partitions()).containsExactly(1, 5, 9);
    }
}
