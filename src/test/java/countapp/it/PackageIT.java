package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.testing.Prerequisite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball and the Debian package as an operator installs them: unpacked (here into a temporary
 * root instead of /, with tar and with dpkg-deb -x), its
 * config changed only where a test must (ports, and the data and log folders under that root), then the
 * systemd unit's ExecStart command line run as the unit would run it, items posted and counted, and the
 * process stopped the way systemd stops it (SIGTERM to the main process alone): every worker exits with
 * it, and a second start finds the data.
 */
class PackageIT {
    @ParameterizedTest
    @ValueSource(strings = {"countapp-.*-release\\.tar\\.gz", "countapp_.*_all\\.deb"})
    void package_unitCommandLine_servesCountsAndStopsWithoutOrphans(String name, @TempDir Path root) throws Exception {
        Path pkg = built(name);
        List<String> unpack = name.endsWith("deb")
                ? List.of("dpkg-deb", "-x", pkg.toString(), root.toString())
                : List.of("tar", "-xzf", pkg.toString(), "-C", root.toString());
        if (name.endsWith("deb")) {
            Prerequisite.require(Prerequisite.onPath("dpkg-deb"), "dpkg-deb is not installed");
        }
        Process unpacking = new ProcessBuilder(unpack).inheritIO().start();
        assertThat(unpacking.waitFor()).as("%s", unpack).isZero();
        for (String path : List.of("opt/countapp/bin/countapp", "opt/countapp/lib/countapp.jar", "etc/countapp/config.yaml",
                "etc/logrotate.d/countapp", "lib/systemd/system/countapp.service",
                "lib/systemd/system/countapp-worker@.service", "opt/countapp/doc/operations.md", "var/lib/countapp",
                "var/log/countapp")) {
            assertThat(root.resolve(path)).as("packaged %s", path).exists();
        }
        assertThat(Files.isExecutable(root.resolve("opt/countapp/bin/countapp"))).isTrue();

        String unit = Files.readString(root.resolve("lib/systemd/system/countapp.service"));
        assertThat(unit).contains("User=countapp", "Restart=on-failure", "KillMode=mixed", "LimitNOFILE=");
        List<Integer> ports = Cluster.freePorts(3);
        rewriteConfig(root, ports);
        List<String> command = execStart(unit, root);

        Process first = start(command, root);
        try {
            awaitSettled(ports.get(0), 2, first, root);
            HttpResponse<String> posted = Cluster.post(ports.get(0), Cluster.items("acme", List.of("u-1", "u-2", "u-3", "u-1")));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(count(ports.get(0), "acme")).isEqualTo(3);
        } finally {
            stopAsSystemdDoes(first);
        }
        assertThat(root.resolve("var/log/countapp/" + ports.get(1) + ".log")).as("a worker's log").isNotEmptyFile();
        try (Stream<Path> data = Files.list(root.resolve("var/lib/countapp/db"))) {
            assertThat(data.count()).as("partition folders under the packaged data folder").isPositive();
        }

        Process second = start(command, root);
        try {
            awaitSettled(ports.get(0), 2, second, root);
            assertThat(count(ports.get(0), "acme")).as("count after a restart").isEqualTo(3);
        } finally {
            stopAsSystemdDoes(second);
        }
    }

    private static Path built(String name) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(Cluster.JAR).toAbsolutePath().getParent())) {
            List<Path> found = files.filter(p -> p.getFileName().toString().matches(name)).collect(Collectors.toList());
            assertThat(found).as("the package %s beside %s (built in the package phase)", name, Cluster.JAR).hasSize(1);
            return found.get(0);
        }
    }

    /** Free ports instead of 5000…, and the data and log folders under the temporary root instead of /. */
    private static void rewriteConfig(Path root, List<Integer> ports) throws IOException {
        Path file = root.resolve("etc/countapp/config.yaml");
        String workers = ports.subList(1, ports.size()).stream().map(p -> "  - http://localhost:" + p)
                .collect(Collectors.joining("\n", "workers:\n", ""));
        String config = Files.readString(file);
        String rewritten = config
                .replaceFirst("(?m)^workers: 2 .*$", workers)
                .replaceFirst("(?m)^database: /var/lib/countapp/db ", "database: " + root + "/var/lib/countapp/db ")
                .replaceFirst("(?m)^worker_logs: /var/log/countapp ", "worker_logs: " + root + "/var/log/countapp ")
                .replaceFirst("(?m)^listen: 127.0.0.1:5000 ", "listen: 127.0.0.1:" + ports.get(0) + " ");
        assertThat(rewritten.lines().filter(l -> l.contains(root.toString()) || l.contains("localhost:")).count())
                .as("every line the test must change was found:\n%s", rewritten).isEqualTo(4);
        assertThat(rewritten).contains("listen: 127.0.0.1:" + ports.get(0) + " ");
        Files.writeString(file, rewritten);
    }

    /** The unit's ExecStart, with /opt/countapp and /etc/countapp under the temporary root. */
    private static List<String> execStart(String unit, Path root) {
        String line = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length());
        List<String> command = new ArrayList<>();
        for (String word : line.trim().split("\\s+")) {
            command.add(word.startsWith("/opt/") || word.startsWith("/etc/") ? root + word : word);
        }
        assertThat(command).startsWith(root + "/opt/countapp/bin/countapp", "coordinator");
        return command;
    }

    private static Process start(List<String> command, Path root) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.resolve("var/lib/countapp").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("journal.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("COUNTAPP_JAVA_OPTS", "");
        builder.environment().remove("COUNTAPP_JAR");
        return builder.start();
    }

    private static void awaitSettled(int port, int workers, Process coordinator, Path root) {
        Awaitility.await("packaged coordinator settled").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    assertThat(coordinator.isAlive()).as("coordinator alive; output:\n%s",
                            Files.readString(root.resolve("journal.log"))).isTrue();
                    String status = Cluster.get(port, "/").body();
                    return status.contains("\"settled\":true") && status.split("\"live\":true", -1).length - 1 == workers;
                });
    }

    private static long count(int port, String tenant) throws IOException, InterruptedException {
        HttpResponse<String> r = Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/items/"
                + tenant + "/count")).timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Cluster.longField(r.body(), "count");
    }

    /**
     * KillMode=mixed: SIGTERM to the main process only; within TimeoutStopSec it must be gone with every
     * worker it spawned (systemd would SIGKILL what is left, which here fails the test instead).
     */
    private static void stopAsSystemdDoes(Process coordinator) throws Exception {
        List<ProcessHandle> children = coordinator.descendants().collect(Collectors.toList());
        assertThat(children).as("the workers the coordinator spawned").hasSizeGreaterThanOrEqualTo(2);
        coordinator.destroy();
        boolean exited = coordinator.waitFor(60, TimeUnit.SECONDS);
        List<ProcessHandle> left = children.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
        if (!exited) {
            coordinator.destroyForcibly();
        }
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(exited).as("coordinator exited within TimeoutStopSec").isTrue();
        assertThat(Arrays.asList(0, 143)).as("exit status (SuccessExitStatus=143)").contains(coordinator.exitValue());
        assertThat(left).as("processes left after the coordinator stopped").isEmpty();
    }
}
