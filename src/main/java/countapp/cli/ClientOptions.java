package countapp.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every client sub-command shares: which coordinator, and how long to wait for it. The URL may
 * come from {@value #URL_ENV}. With auth on, the API key comes from the {@value #KEY_ENV} environment
 * variable only (not an option: a command line is visible to every user of the machine); {@code status}
 * needs a key with {@code ops: true}.
 */
final class ClientOptions {
    static final String URL_ENV = "COUNTAPP_URL";
    static final String KEY_ENV = "COUNTAPP_KEY";
    /** The name {@value #KEY_ENV} had before; still read when {@value #KEY_ENV} is unset. */
    static final String OLD_KEY_ENV = "COUNTAPP_API_KEY";

    @Option(names = {"-u", "--url"}, defaultValue = "${env:" + URL_ENV + ":-http://localhost:5000}", paramLabel = "URL",
            description = "the coordinator (default: $" + URL_ENV + ", else http://localhost:5000; now ${DEFAULT-VALUE}). "
                    + "With auth on, the API key is read from $" + KEY_ENV + ", never from the command line")
    String url;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long to wait for each answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    ApiClient client() {
        return new ApiClient(url, Duration.ofSeconds(timeoutSeconds), key(System.getenv()));
    }

    /** The API key from the environment, or null. */
    static String key(Map<String, String> env) {
        String key = env.get(KEY_ENV);
        return key != null && !key.isBlank() ? key : env.get(OLD_KEY_ENV);
    }
}
