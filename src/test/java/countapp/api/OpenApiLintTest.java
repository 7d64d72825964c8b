package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.testing.Prerequisite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the bundled OpenAPI document passes Redocly ({@code lint}, recommended rules) and Spectral (the
 * {@code spectral:oas} ruleset) with 0 errors and 0 warnings, so generators and linters take it as it is.
 * Both run through npm at the versions of {@code src/test/openapi-lint/package-lock.json}, installed with
 * {@code npm ci} into {@code target/openapi-lint} (again only when the lock file changes).
 */
class OpenApiLintTest {
    static final Path DOCUMENT = Path.of("src/main/resources/countapp/api/openapi.json").toAbsolutePath();
    static final Path SOURCE = Path.of("src/test/openapi-lint");
    static final Path WORK = Path.of("target/openapi-lint").toAbsolutePath();

    record Run(int code, String out) {}

    @BeforeAll
    static void install() throws Exception {
        Prerequisite.require(onPath("npm"), "npm is not installed: the OpenAPI lint test needs Node.js and npm");
        Files.createDirectories(WORK);
        Path lock = SOURCE.resolve("package-lock.json");
        Path installedLock = WORK.resolve("installed-package-lock.json");
        for (String file : List.of("package.json", "package-lock.json", ".spectral.yaml")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        boolean current = Files.exists(installedLock) && Files.mismatch(lock, installedLock) == -1
                && Files.isExecutable(bin("redocly")) && Files.isExecutable(bin("spectral"));
        if (!current) {
            Run ci = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), 300);
            assertThat(ci.code()).as("npm ci:%n%s", ci.out()).isZero();
            Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void issue22_redocly_noErrorsNoWarnings() throws Exception {
        Run r = run(List.of(bin("redocly").toString(), "lint", "--format=json", DOCUMENT.toString()), 120);

        JsonObject totals = new JsonObject(jsonPart(r.out(), '{')).getJsonObject("totals");
        assertThat(totals).as("redocly's report:%n%s", r.out()).isNotNull();
        assertThat(totals.getInteger("errors")).as("redocly errors:%n%s", r.out()).isZero();
        assertThat(totals.getInteger("warnings")).as("redocly warnings:%n%s", r.out()).isZero();
        assertThat(r.code()).as(r.out()).isZero();
    }

    @Test
    void issue22_spectral_noErrorsNoWarnings() throws Exception {
        Run r = run(List.of(bin("spectral").toString(), "lint", "--ruleset", WORK.resolve(".spectral.yaml").toString(),
                "--format", "json", "--fail-severity", "warn", DOCUMENT.toString()), 120);

        JsonArray results = new JsonArray(jsonPart(r.out(), '['));
        List<String> problems = new ArrayList<>();
        // severity 0 is an error, 1 a warning (2 information, 3 a hint)
        for (int i = 0; i < results.size(); i++) {
            JsonObject p = results.getJsonObject(i);
            if (p.getInteger("severity", 0) <= 1) {
                problems.add(p.getValue("code") + " at " + p.getValue("path") + ": " + p.getString("message"));
            }
        }
        assertThat(problems).as("spectral errors and warnings").isEmpty();
        assertThat(r.code()).as(r.out()).isZero();
    }

    private static Path bin(String tool) {
        return WORK.resolve("node_modules").resolve(".bin").resolve(tool);
    }

    /** The JSON report in a tool's output: from its first {@code start} character to the matching last one. */
    private static String jsonPart(String out, char start) {
        int from = out.indexOf(start);
        int to = out.lastIndexOf(start == '{' ? '}' : ']');
        assertThat(from).as("a JSON report in:%n%s", out).isNotNegative();
        return out.substring(from, to + 1);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile(WORK, "run", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took over " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
