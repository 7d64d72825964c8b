package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproduced case "config edit, then crash": a key read only at start is edited in the file of a running
 * cluster, then every worker is SIGKILLed. The respawned workers must open the data in force, not the edited
 * file's (a respawned worker on {@code db2/} would make acknowledged items disappear from the counts), and
 * {@code /status} must say the edit waits for a restart.
 */
class ConfigEditThenCrashIT {
    private static final String TENANT = "acked";

    @TempDir
    Path dir;

    @Test
    void databaseEditedThenWorkersSigkilled_respawnedWorkersStillCountEveryAcknowledgedItem() throws Exception {
        editThenCrash("database: db/", "database: db2/", "database");

        assertThat(dir.resolve("db2")).as("no worker opened the edited folder").doesNotExist();
    }

    @Test
    void partitionsEditedThenWorkersSigkilled_respawnedWorkersStillCountEveryAcknowledgedItem() throws Exception {
        editThenCrash("partitions: 16", "partitions: 64", "partitions");
    }

    private void editThenCrash(String line, String edited, String key) throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, "partitions: 16\n", Cluster.Options.defaults().configCheck("0.5"))) {
            List<String> ids = IntStream.range(0, 300).mapToObj(i -> "id-" + i).collect(Collectors.toList());
            for (int from = 0; from < ids.size(); from += 100) {
                HttpResponse<String> ack = cluster.post(items(TENANT, ids.subList(from, from + 100)));
                assertThat(ack.body()).isEqualTo("{\"received\":100,\"added\":100}");
            }
            Path file = dir.resolve("config.yaml");
            String config = Files.readString(file);
            assertThat(config).contains(line);

            Files.writeString(file, config.replace(line, edited));
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> cluster.get("/status").body().contains("\"pending_restart\":[\"" + key + "\"]"));
            List<ProcessHandle> workers = cluster.workerProcesses();
            assertThat(workers).hasSize(2);
            workers.forEach(ProcessHandle::destroyForcibly); // SIGKILL
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));

            List<Long> killed = workers.stream().map(ProcessHandle::pid).collect(Collectors.toList());
            Awaitility.await("both workers respawned").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                for (int port : cluster.workerPorts) {
                    if (killed.contains(cluster.workerPid(port))) {
                        return false;
                    }
                }
                return true;
            });
            cluster.awaitSettled(2);

            assertThat(cluster.count(TENANT)).as("every acknowledged item is still counted").isEqualTo(300);
            assertThat(cluster.post(items(TENANT, ids)).body()).isEqualTo("{\"received\":300,\"added\":0}");
            assertThat(cluster.post(items(TENANT, List.of("after-crash"))).body()).isEqualTo("{\"received\":1,\"added\":1}");
            assertThat(cluster.count(TENANT)).isEqualTo(301);
            String status = cluster.get("/status").body();
            assertThat(status).contains("\"pending_restart\":[\"" + key + "\"]");
            assertThat(status).contains("\"database\":\"" + dir.resolve("db").toAbsolutePath() + "\"");
            assertThat(status).contains("\"partitions\":16");
            for (int port : cluster.workerPorts) {
                Path log = dir.resolve("logs/" + port + ".log");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log)
                        .contains("[" + key + "] changed on disk; this worker keeps the values in force"));
                assertThat(Files.readString(log)).doesNotContain("db2").doesNotContain("64 partitions");
            }
        }
    }
}
