package countapp.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every client sub-command shares: which coordinator, and how long to wait for it. With auth
 * on, the API key comes from the {@value #KEY_ENV} environment variable (not an option: a command line is
 * visible to every user of the machine); {@code status} needs a key with {@code ops: true}.
 */
final class ClientOptions {
    static final String KEY_ENV = "COUNTAPP_API_KEY";

    @Option(names = {"-u", "--url"}, defaultValue = "http://localhost:5000", paramLabel = "URL",
            description = "the coordinator (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long to wait for each answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    ApiClient client() {
        return new ApiClient(url, Duration.ofSeconds(timeoutSeconds), System.getenv(KEY_ENV));
    }
}
