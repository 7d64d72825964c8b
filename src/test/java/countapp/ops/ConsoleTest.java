package countapp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.Auth;
import countapp.config.Config;
import countapp.config.Listen;
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
        String banner = Banner.coordinator(config(Listen.DEFAULT, Auth.OFF, false), 16, "9.9");

        assertThat(banner).contains("CountApp 9.9", "http://127.0.0.1:5000", "1 spawned, 1 remote", "16 partitions",
                "http://127.0.0.1:5000/dashboard", "listens    127.0.0.1:5000 (this machine only, auth off: no key needed)",
                "try        bin/countapp post acme:u-1 acme:u-2 && bin/countapp count acme").doesNotContain("\u001b[");
    }

    @Test
    void issue22_banner_otherListen_realAddressAndHintWithUrl() {
        String banner = Banner.coordinator(config(new Listen("0.0.0.0", 7000), Auth.OFF, true), 16, "9.9");

        assertThat(banner).contains("coordinator is up on http://127.0.0.1:7000",
                "listens    0.0.0.0:7000 (reachable from the network, auth off: no key needed)",
                "try        export COUNTAPP_URL=http://127.0.0.1:7000\n"
                        + "                 bin/countapp post acme:u-1 acme:u-2 && bin/countapp count acme");
    }

    private static Config config(Listen listen, Auth auth, boolean allowOpen) {
        return new Config(List.of(new WorkerEndpoint("http://localhost:5001", "localhost", 5001, true),
                new WorkerEndpoint("http://db1:5001", "db1", 5001, false)), Path.of("db"), null, Path.of("logs"),
                Duration.ofSeconds(5), Duration.ofSeconds(5), listen, allowOpen, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 16, "127.0.0.1", null, countapp.model.Limits.DEFAULT, auth,
                countapp.model.Retention.NONE, Path.of("config.yaml"));
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
