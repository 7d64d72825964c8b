package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A refused config names the key (or the line) and the kind of problem, never a value: these messages reach
 * the log, {@code GET /status} and the dashboard, and the value next to a typo is often a password.
 */
class ConfigErrorMessagesTest {
    private static final Path SOURCE = Path.of("/etc/countapp/config.yaml");
    private static final String SECRET = "Secr3t";

    private static String problems(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(text, SOURCE));
        assertThat(e).as("config must be rejected:%n%s", text).isNotNull();
        assertThat(e.getMessage()).startsWith("invalid config " + SOURCE + ":\n  - ");
        return e.getMessage();
    }

    private static final String REDIS = "workers: 2\ndatabase: redis://10.0.0.5:6379\nlisten: 6000\n";

    @Test
    void parse_reservedCharacterStartingAPassword_namesLineColumnAndKeyNotTheValue() {
        String message = problems(REDIS + "redis_password: @" + SECRET + "-pass\n");

        assertThat(message).contains("line 4, column 17 (key redis_password): not valid YAML: "
                + "a character that cannot start a token").doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "&", "!", "%", "`", "!!int ", "!!float ", "!!binary ", "\"\\q", "'", "\"", "[", "{",
        "|9", "? ", "- "})
    void parse_passwordStartingWithAYamlIndicator_neverQuoted(String indicator) {
        String message = problems(REDIS + "redis_password: " + indicator + SECRET + "\ncluster_secret: "
                + indicator + SECRET + "-" + SECRET + "\n");

        assertThat(message).doesNotContain(SECRET).containsPattern("line \\d+|redis_password|cluster_secret");
    }

    @Test
    void parse_valueThatDoesNotFitItsTag_namesItsLine() {
        assertThat(problems(REDIS + "redis_wait_replicas: !!int " + SECRET + "\n"))
                .contains("line 4, column 22 (key redis_wait_replicas): not valid YAML: a value that does not fit its !!tag")
                .doesNotContain(SECRET);
        assertThat(problems(REDIS + "limits: !!map [" + SECRET + "]\n")).contains("line 4").doesNotContain(SECRET);
    }

    @Test
    void parse_controlCharacter_namesLineAndColumn() {
        assertThat(problems(REDIS + "redis_password: ab\u0001" + SECRET + "\n"))
                .contains("line 4, column 19 (key redis_password): not valid YAML: a control character")
                .doesNotContain(SECRET);
    }

    @Test
    void parse_tabIndentation_namesLine() {
        assertThat(problems("workers:\n\t- http://localhost:5001\n")).contains("line 2, column 1: not valid YAML: a tab");
    }

    @Test
    void parse_lineWithAnUnknownName_doesNotNameIt() {
        // What starts a broken line may be a value that lost its key: only known settings are named.
        String message = problems(REDIS + SECRET + "-pass: [\n");

        assertThat(message).contains("line 5").doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis_password: [" + SECRET + "]", "redis_password: {a: " + SECRET + "}",
        "redis_password: 12345", "redis_password: \"\""})
    void parse_passwordOfTheWrongType_namesTheType(String line) {
        String message = problems(REDIS + line + "\n");

        assertThat(message).containsPattern("redis_password: must be a non-empty string, got (a list|a mapping|"
                + "a whole number|an empty string)").doesNotContain(SECRET).doesNotContain("12345");
    }

    @Test
    void parse_wrongTypes_namedByTypeNeverByValue() {
        String message = problems("workers: " + SECRET + "\nlisten: " + SECRET + "\nhealth_check: [" + SECRET + "]\n"
                + "cluster_secret: 123\nworker_logs: {a: " + SECRET + "}\nlimits: " + SECRET + "\n");

        assertThat(message)
                .contains("workers: must be a list of URLs or a number of local workers, got a string")
                .contains("listen: the port must be a whole number from 1 to 65535")
                .contains("health_check: must be a number of seconds, got a list")
                .contains("cluster_secret: must be a string of at least 16 characters, got a whole number")
                .contains("worker_logs: must be a folder path, got a mapping")
                .contains("limits: must be a mapping of [")
                .doesNotContain(SECRET).doesNotContain("123");
    }

    @Test
    void parse_outOfRangeNumbers_notEchoed() {
        String message = problems("workers: 4242\nlisten: 987654\npartitions: 31337\n");

        assertThat(message).contains("workers: a number of local workers must be from 1 to 1000")
                .contains("listen: the port must be a whole number from 1 to 65535")
                .doesNotContain("4242").doesNotContain("987654").doesNotContain("31337");
    }

    @Test
    void parse_badWorkerUrls_namedByPosition() {
        String message = problems("workers:\n  - http://localhost:5001\n  - http://localhost:5002\n  - ftp://" + SECRET
                + ":1\n  - http://" + SECRET + "\n  - http://localhost:5003/" + SECRET + "\n");

        assertThat(message).contains("workers[2]: must be an http:// URL with a host and a port")
                .contains("workers[3]: must be an http:// URL with a host and a port")
                .contains("workers[4]: must be an http:// URL without a path")
                .doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://a:1," + SECRET + ":x", "redis://user:" + SECRET + "@a:1", "redis://a:1/" + SECRET,
        "redis://a:1,[" + SECRET, "redis://a:1,[" + SECRET + "]x", "redis://a:1,:" + SECRET})
    void parse_badRedisUrl_namesTheNodeNotTheUrl(String url) {
        String message = problems("workers: 1\ndatabase: " + url + "\n");

        assertThat(message).contains("database: ").doesNotContain(SECRET);
    }

    @Test
    void parse_badRedisPort_namesTheNodeByPosition() {
        assertThat(problems("workers: 1\ndatabase: redis://a:1,b:" + SECRET + "\n"))
                .contains("database: node 2 of the redis:// URL: the port must be a number from 1 to 65535");
    }

    @Test
    void parse_shortClusterSecret_notEchoed() {
        assertThat(problems("workers: 1\ncluster_secret: " + SECRET + "\n"))
                .contains("cluster_secret: must be at least 16 characters long").doesNotContain(SECRET);
    }

    @Test
    void parse_badAuthKeys_neverQuoteTheKey() {
        String message = problems("workers: 1\nauth:\n  keys:\n    - key: " + SECRET + "\n      tenants: [a]\n"
                + "    - key_sha256: " + SECRET + "\n      tenants: [a]\n"
                + "    - key: [" + SECRET + "]\n      ops: " + SECRET + "\n");

        assertThat(message).contains("auth.keys[0]: key must be a string of at least 8 characters")
                .contains("auth.keys[1]: key_sha256 must be the key's SHA-256 digest")
                .contains("auth.keys[2]: key must be a string")
                .contains("auth.keys[2]: ops must be true or false, got a string")
                .doesNotContain(SECRET);
    }

    @Test
    void parse_unknownKey_namedOnlyWhenAMisspellingOfAKnownOne() {
        assertThat(problems("workers: 1\ndatabse: db/\n")).contains("line 2: unknown key \"databse\" (did you mean database?)");
        assertThat(problems("workers: 1\n" + SECRET + "Password: x\n")).contains("line 2: unknown key (known keys: [")
                .doesNotContain(SECRET);
        assertThat(problems("workers: 1\nlimits:\n  max_itmes: 5\n"))
                .contains("line 3: limits: unknown key \"max_itmes\" (did you mean max_items?)");
        assertThat(problems("workers: 1\nauth:\n  keys:\n    - key: long-enough-key\n      tenants: [a]\n"
                + "      " + SECRET + ": x\n")).contains("line 6: auth.keys[0]: unknown key (known keys: [key, key_sha256, ops, tenants])")
                .doesNotContain(SECRET);
    }

    @Test
    void parse_valueThatLostItsNewline_isNotPrintedAsAKey() {
        String message = problems("workers: 1\ncluster_secret:\n  " + SECRET + "-" + SECRET + ": x\n");

        assertThat(message).doesNotContain(SECRET);
    }
}
