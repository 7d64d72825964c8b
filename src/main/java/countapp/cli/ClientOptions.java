package countapp.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every client sub-command shares: which coordinator, and how long to wait for it. */
final class ClientOptions {
    @Option(names = {"-u", "--url"}, defaultValue = "http://localhost:5000", paramLabel = "URL",
            description = "the coordinator (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long to wait for each answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    ApiClient client() {
        return new ApiClient(url, Duration.ofSeconds(timeoutSeconds));
    }
}
