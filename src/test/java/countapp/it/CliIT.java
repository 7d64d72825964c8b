package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The client sub-commands of {@code countapp} against a real coordinator: in-process, and via bin/countapp. */
class CliIT {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        // Day and month windows kept, for count --window/--from and export.
        cluster = Cluster.start(dir, 2, "windows:\n  day: 35\n  month: 13\n");
        url = "http://localhost:" + cluster.port;
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** What one in-process run printed, and its exit code. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void post_tenantIdArguments_postedAndNewPairsReported() throws Exception {
        Run r = run("post", "--url", url, "cli-a:u1", "cli-a:u2", "cli-a:u1", "cli-b:urn:x:1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("posted 4 items in 1 batch: 3 new, 1 already counted");
        assertThat(cluster.count("cli-a")).isEqualTo(2);
        assertThat(cluster.count("cli-b")).isEqualTo(1);
    }

    @Test
    void post_jsonArrayFileLargerThanABatch_sentInBatchesWithProgress() throws Exception {
        Path file = dir.resolve("items.json");
        Files.writeString(file, items("cli-file", IntStream.range(0, 2_500).mapToObj(i -> "f" + i).collect(Collectors.toList())));

        Run r = run("post", "-u", url, "--file", file.toString(), "--batch-size", "1000");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("posted 2,500 items in 3 batches: 2,500 new, 0 already counted");
        assertThat(r.err()).contains("posting: 1,000 items sent (");
        assertThat(cluster.count("cli-file")).isEqualTo(2_500);
    }

    @Test
    void post_badArgument_usageErrorAndNothingSent() {
        Run r = run("post", "-u", url, "cli-bad:1", "no-colon");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("expected TENANT:ID, got \"no-colon\"");
    }

    @Test
    void count_severalTenants_oneRowEach() throws Exception {
        cluster.post(items("cli-count", List.of("1", "2", "3")));

        Run r = run("count", "-u", url, "cli-count", "cli-none");
        Run json = run("count", "-u", url, "--json", "cli-count");

        assertThat(r.code()).isZero();
        assertThat(r.out().split("\n")).containsExactly("TENANT     COUNT", "cli-count  3", "cli-none   0");
        assertThat(json.out().trim()).isEqualTo("{\"tenant\":\"cli-count\",\"count\":3}");
    }

    @Test
    void count_unreachableCoordinator_exitOneWithAHint() throws Exception {
        int closed = Cluster.freePorts(1).get(0);

        Run r = run("count", "-u", "http://localhost:" + closed, "x");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach http://localhost:" + closed, "is the coordinator running?");
    }

    @Test
    void status_runningCluster_tableOfWorkersAndPartitions() {
        cluster.awaitReady();

        Run r = run("status", "-u", url);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("settled").contains("WORKER").contains("PARTITION  OWNER");
        for (int port : cluster.workerPorts) {
            assertThat(r.out()).containsPattern("http://localhost:" + port + " +live +\\d+");
        }
        for (int p = 0; p < 16; p++) {
            assertThat(r.out()).containsPattern("(?m)^" + p + " +http://localhost:\\d+ +yes$");
        }
        assertThat(r.out()).contains("2/2 workers live, 16/16 partitions confirmed");
        assertThat(run("status", "-u", url, "--json").out()).startsWith("{\"status\":\"ok\"");
    }

    @Test
    void dump_tenant_everyIdOnceAsJsonLines() throws Exception {
        List<String> ids = IntStream.range(0, 1_500).mapToObj(i -> "d" + i).collect(Collectors.toList());
        cluster.post(items("cli-dump", ids));

        Run r = run("dump", "-u", url, "--tenant", "cli-dump");

        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertThat(lines).hasSize(1_500).doesNotHaveDuplicates();
        assertThat(lines).allMatch(l -> l.matches("\\{\"id\":\"d\\d+\",\"tenant\":\"cli-dump\"}"));
        assertThat(r.err()).contains("dumped 1,500 ids of tenant cli-dump");
    }

    @Test
    void launcher_dumpPipedIntoPostOnStdin_roundTripsAsJsonLines() throws Exception {
        cluster.post(items("cli-src", List.of("x", "y", "z")));
        Path lines = dir.resolve("src.jsonl");
        Files.writeString(lines, run("dump", "-u", url, "-t", "cli-src").out()
                + "{\"id\":\"w\",\"tenant\":\"cli-src\"}\n");

        Process p = launcher("post", "--url", url).redirectInput(lines.toFile()).start();

        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("posted 4 items in 1 batch: 1 new, 3 already counted");
        assertThat(cluster.count("cli-src")).isEqualTo(4);
    }

    @Test
    void count_dayMonthAndRunOfDays_countOfTheWindowWithItsLabel() throws Exception {
        cluster.post(items("cli-win", List.of("w1", "w2", "w3")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();

        Run day = run("count", "-u", url, "--window", "day", "--at", today, "cli-win", "cli-win-none");
        Run monthJson = run("count", "-u", url, "--json", "--window", "month", "--at", month, "cli-win");
        Run days = run("count", "-u", url, "--json", "--from", yesterday, "--to", today, "cli-win");

        assertThat(day.code()).as(day.err()).isZero();
        assertThat(day.out().split("\n")).containsExactly("TENANT        COUNT  WINDOW",
                "cli-win       3      day " + today, "cli-win-none  0      day " + today);
        assertThat(monthJson.out().trim())
                .isEqualTo("{\"tenant\":\"cli-win\",\"count\":3,\"window\":\"month\",\"at\":\"" + month + "\"}");
        assertThat(days.out().trim())
                .isEqualTo("{\"tenant\":\"cli-win\",\"count\":3,\"from\":\"" + yesterday + "\",\"to\":\"" + today + "\"}");
    }

    @Test
    void count_windowNotKept_exitOneWithTheCoordinatorsReason() {
        Run r = run("count", "-u", url, "--window", "day", "--at", "2000-01-01", "cli-win");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("countapp count: GET /items/cli-win/count: HTTP 400: ");
    }

    @Test
    void export_csvOfToday_headerThenQuotedTenantsWithCrlf() throws Exception {
        cluster.post("[{\"id\":\"1\",\"tenant\":\"cli exp, \\\"q\\\"\"},{\"id\":\"2\",\"tenant\":\"cli exp, \\\"q\\\"\"},"
                + "{\"id\":\"1\",\"tenant\":\"cli-exp\"}]");

        Run r = run("export", "-u", url, "--window", "day", "--at", LocalDate.now(ZoneOffset.UTC).toString(),
                "--format", "csv");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("tenant,count\r\n")
                .contains("\r\n\"cli exp, \"\"q\"\"\",2\r\n").contains("\r\ncli-exp,1\r\n");
        assertThat(r.err()).containsPattern("exported [\\d,]+ tenants \\(day ");
    }

    @Test
    void export_jsonlOfThisMonth_coordinatorsLinesAsTheyAre() throws Exception {
        cluster.post(items("cli-exp-json", List.of("a", "b")));

        Run r = run("export", "-u", url, "--window", "month", "--at", YearMonth.now(ZoneOffset.UTC).toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines()).contains("{\"tenant\":\"cli-exp-json\",\"count\":2}")
                .allMatch(l -> l.matches("\\{\"tenant\":\".*\",\"count\":\\d+}"));
    }

    @Test
    void erase_oneIdThenTheWholeTenant_countsDropAndSecondEraseIsANoOp() throws Exception {
        String tenant = "cli erase/1";
        cluster.post(items(tenant, List.of("x/1", "..", "z")));

        Run one = run("erase", "-u", url, tenant, "x/1");
        Run again = run("erase", "-u", url, tenant, "x/1");
        Run dots = run("erase", "-u", url, tenant, "..");
        long afterIds = cluster.count(tenant);
        Run all = run("erase", "-u", url, tenant, "--all-ids");

        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).isEqualTo("erased id x/1 of tenant cli erase/1\n");
        assertThat(again.out()).isEqualTo("nothing to erase: tenant cli erase/1 has no id x/1\n");
        assertThat(dots.out()).isEqualTo("erased id .. of tenant cli erase/1\n");
        assertThat(afterIds).isEqualTo(1);
        assertThat(all.out()).isEqualTo("erased 1 id of tenant cli erase/1\n");
        assertThat(cluster.count(tenant)).isZero();
    }

    @Test
    void erase_noIdWithoutAllIds_refusedAndTenantKept() throws Exception {
        cluster.post(items("cli-keep", List.of("k")));

        Run r = run("erase", "-u", url, "cli-keep");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("add --all-ids");
        assertThat(cluster.count("cli-keep")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"post", "count", "status", "dump", "export", "erase"})
    void help_everyClientCommand_describesUrl(String command) {
        Run r = run(command, "--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: countapp " + command).contains("--url=URL").contains("http://localhost:5000")
                .contains("COUNTAPP_URL").contains("COUNTAPP_KEY");
    }

    /** bin/countapp with the jar under test and this JVM's Java. */
    static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "countapp").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("COUNTAPP_JAR", Path.of(Cluster.JAR).toAbsolutePath().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }
}
