package countapp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.testing.Prerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules shipped in ops/ pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules ops/alerts-test.yml}); a broken rule is refused, so the check can fail.
 */
class PrometheusRulesTest {
    private static final Path OPS = Path.of("ops");

    record Run(int exit, String output) {}

    @BeforeAll
    static void promtoolPresent() {
        Prerequisite.require(Prerequisite.onPath("promtool"), "promtool (Debian package prometheus) is not installed");
    }

    @Test
    void checkRules_shippedAlerts_pass() throws Exception {
        assertSucceeds("check", "rules", "alerts.yml");
    }

    @Test
    void testRules_shippedUnitTests_pass() throws Exception {
        assertSucceeds("test", "rules", "alerts-test.yml");
    }

    private static void assertSucceeds(String... args) throws Exception {
        Run run = promtool(OPS, args);
        System.out.println(run.output()); // promtool's own report, kept in the Surefire output
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void checkRules_ruleWithBadExpression_fails(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yml"), """
                groups:
                  - name: bad
                    rules:
                      - alert: Broken
                        expr: sum by (instance (countapp_worker_live)
                """);
        Run run = promtool(dir, "check", "rules", "bad.yml");
        assertThat(run.exit()).as(run.output()).isNotZero();
    }

    static Run promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new Run(p.exitValue(), out);
    }
}
