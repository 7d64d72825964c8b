package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.migrate.Format1Fixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database folder in the retired format 1 (RocksDB), as real processes meet it: a worker and a coordinator
 * refuse it naming {@code countapp migrate}; {@code bin/countapp migrate} converts it; a cluster then serves
 * the same counts and ids, and knows every converted pair.
 */
class MigrateIT {
    @TempDir
    Path dir;

    static Map<String, List<String>> sent() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put("acme", IntStream.range(0, 3_000).mapToObj(i -> "u" + i).collect(Collectors.toList()));
        ids.put("globex", List.of("only"));
        ids.put("a/b", IntStream.range(0, 10).mapToObj(i -> "x" + i).collect(Collectors.toList()));
        ids.put("café 😀", IntStream.range(0, 50).mapToObj(i -> "é" + i).collect(Collectors.toList()));
        return ids;
    }

    @Test
    void issue19_format1Folder_refusedByWorkerAndCoordinatorThenMigratedWithEqualCounts() throws Exception {
        Path db = dir.resolve("db");
        Map<String, List<String>> sent = sent();
        Format1Fixture.write(db, 8, sent);
        int port = Cluster.freePorts(1).get(0);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "workers:\n  - http://localhost:" + port + "\ndatabase: db/\nworker_logs: logs/\n"
                + "cluster_secret: " + Cluster.SECRET + "\n");

        Run worker = run(java("worker", "--port", Integer.toString(port), "--config", config.toString()));
        assertThat(worker.code()).as(worker.out()).isEqualTo(1);
        assertThat(worker.out()).contains("format 1").contains("countapp migrate " + db);
        Run coordinator = run(java("coordinator", "--config", config.toString()));
        assertThat(coordinator.code()).as(coordinator.out()).isNotZero();
        assertThat(coordinator.out()).contains("countapp migrate " + db);
        assertThat(Files.readString(db.resolve("countapp.meta"))).as("refusing changed nothing").contains("format=1");

        Run migrate = run(CliIT.launcher("migrate", db.toString()));
        assertThat(migrate.code()).as(migrate.out()).isZero();
        assertThat(migrate.out()).contains("converted 3,061 pairs of 4 tenants")
                .contains("the format-1 original is kept in " + dir.resolve("db.format1"));

        try (Cluster cluster = Cluster.start(dir, 2, "")) {
            for (Map.Entry<String, List<String>> e : sent.entrySet()) {
                assertThat(cluster.count(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().size());
            }
            HttpResponse<String> ids = cluster.get("/items/" + Cluster.encode("café 😀") + "/ids");
            assertThat(ids.statusCode()).isEqualTo(200);
            Set<String> listed = Arrays.stream(ids.body().split("\n")).filter(l -> !l.isBlank())
                    .map(l -> l.replaceAll(".*\"id\":\"([^\"]*)\".*", "$1")).collect(Collectors.toSet());
            assertThat(listed).isEqualTo(Set.copyOf(sent.get("café 😀")));
            // Every converted pair is known: sending acme's ids again adds only the new one.
            List<String> again = new java.util.ArrayList<>(sent.get("acme"));
            again.add("u-new");
            HttpResponse<String> post = cluster.post(Cluster.items("acme", again));
            assertThat(post.body()).contains("\"received\":3001").contains("\"added\":1");
            assertThat(cluster.count("acme")).isEqualTo(3_001);
        }
    }

    record Run(int code, String out) {}

    private static ProcessBuilder java(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", Path.of(Cluster.JAR).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Runs a process to its end (at most 120 s), its output in a file so that a hang cannot block the read. */
    private Run run(ProcessBuilder builder) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = builder.directory(dir.toFile()).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(ended).as("ended within 120 s: %s%n%s", builder.command(), out).isTrue();
        return new Run(p.exitValue(), out);
    }
}
