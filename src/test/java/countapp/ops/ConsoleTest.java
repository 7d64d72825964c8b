package countapp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.Config;
import countapp.config.WorkerEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    @Test
    void colours_outputNotATerminal_plainText() {
        // Surefire redirects the test JVM's output, so this is the redirected case.
        assertThat(Console.colours()).isFalse();
        assertThat(Console.red("down")).isEqualTo("down");
    }

    @Test
    void banner_coordinator_namesUrlWorkersAndDashboard() {
        Config c = new Config(List.of(new WorkerEndpoint("http://localhost:5001", "localhost", 5001, true),
                new WorkerEndpoint("http://db1:5001", "db1", 5001, false)), Path.of("db"), null, Path.of("logs"),
                Duration.ofSeconds(5), Duration.ofSeconds(5), 5000, Duration.ofSeconds(1), Duration.ofSeconds(30), 16, "127.0.0.1", null,
                countapp.model.Limits.DEFAULT, countapp.config.Auth.OFF, countapp.model.Retention.NONE, Path.of("config.yaml"));

        String banner = Banner.coordinator(c, 16, "9.9");

        assertThat(banner).contains("CountApp 9.9", "http://localhost:5000", "1 spawned, 1 remote", "16 partitions",
                "http://localhost:5000/dashboard").doesNotContain("\u001b[");
    }

    @Test
    void dashboard_resource_isOneSelfContainedPage() {
        String page = new String(readPage(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(new Dashboard().size()).isGreaterThan(1000);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("fetch(api(\"/status\")", "fetch(api(\"/metrics\")")
                .doesNotContain("src=\"http", "href=\"http", "@import", "<link ");
    }

    private static byte[] readPage() {
        try (var in = Dashboard.class.getResourceAsStream(Dashboard.RESOURCE)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
