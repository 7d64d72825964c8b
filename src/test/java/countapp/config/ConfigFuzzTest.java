package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Config files as they come out of an editor in a hurry: generated valid configs with a recognizable secret
 * as the value of random keys (passwords, cluster secrets, API keys, but also ports and paths), then
 * mutated (characters and lines deleted, duplicated, inserted, re-indented). Every one is either read into a
 * {@link Config} or refused with a {@link ConfigException} whose every problem names a key or a line and
 * never holds any part of the secret; nothing else is thrown, and each file is decided quickly.
 */
class ConfigFuzzTest {
    private static final Path SOURCE = Path.of("/etc/countapp/config.yaml");
    private static final String MARKER = "Qz7SECRETMARKERk9";
    private static final Pattern NAMES_KEY_OR_LINE = Pattern.compile("^(line \\d+|(workers|database|worker_logs|"
            + "worker_persist|config_check|listen|health_check|partitions|worker_bind|cluster_secret|limits|auth|"
            + "redis_password|redis_wait_replicas|redis_timeout)(\\[\\d+])?(\\.[a-z_0-9]+(\\[\\d+])?)*:)");
    private static final String[] PREFIXES = {"", "", "", "@", "*", "&", "!", "!!int ", "!!float ", "!!binary ", "%",
        "`", "\"", "'", "|", ">", "[", "{", "? ", "- ", "\\", "~", "<< "};
    private static final String[] SUFFIXES = {"", "", "", ":", ": x", "\"", "'", "]", "}", " #c", "\n  x: y", ",",
        "\n- z"};
    private static final String[] EXTRA_LINES = {"auth:", "  keys:", "    - key: " + MARKER, "- x", "limits: 5",
        "redis_password: " + MARKER, "  ops: true", "\t", "---", "%YAML 1.1", "&a", "*a", "<<: *a", "? x", ": y",
        "workers: 0", "listen: 0.0004", "health_check: 0.0004", "#   tenants: [\"*\"]", "cluster_secret:", ""};
    private static final char[] INSERTED = {' ', ':', '-', '#', '\n', '\t', '\'', '"', '[', ']', '{', '}', '*', '&',
        '!', '|', '>', '%', '@', '`', ',', '?', '\\', '0', '.', 'x', '\u0001', '\u0085', '\r'};

    @Property(tries = 1500)
    void parse_generatedAndMutatedConfigs_readOrRefusedNamingKeyOrLineNeverTheSecret(@ForAll("configs") String text) {
        check(text, null);
    }

    @Property(tries = 500)
    void reload_generatedAndMutatedConfigs_readOrRefusedNamingKeyOrLineNeverTheSecret(@ForAll("configs") String text) {
        check(text, new Pins(Path.of("/var/lib/countapp/db"), null, 16, Listen.DEFAULT, false, countapp.model.Retention.NONE));
    }

    private static void check(String text, Pins pins) {
        Object outcome = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                return ConfigLoader.parse(text, SOURCE, pins).config();
            } catch (ConfigException e) {
                return e.getMessage();
            }
        }, () -> "no decision within 5 s on:\n" + text);
        Statistics.collect(outcome instanceof Config ? "read" : "refused");
        if (outcome instanceof Config) {
            Config c = (Config) outcome;
            // Parsed durations never round to a busy loop.
            assertThat(c.healthCheck().toMillis()).isPositive();
            assertThat(c.configCheck().toMillis()).isPositive();
            assertThat(c.limits().requestTimeout().toMillis()).isPositive();
            assertThat(c.workerPersist().isNegative()).isFalse();
            return;
        }
        String message = (String) outcome;
        for (int i = 0; i + 5 <= MARKER.length(); i++) {
            assertThat(message).as("refusal of:%n%s", text).doesNotContain(MARKER.substring(i, i + 5));
        }
        String[] lines = message.split("\n  - ", -1);
        assertThat(lines[0]).isEqualTo("invalid config " + SOURCE + ":");
        assertThat(lines.length).isGreaterThan(1);
        for (int i = 1; i < lines.length; i++) {
            assertThat(NAMES_KEY_OR_LINE.matcher(lines[i]).find()).as("names a key or a line: %s%nin refusal of:%n%s",
                    lines[i], text).isTrue();
        }
    }

    @Provide
    Arbitrary<String> configs() {
        return Arbitraries.randomValue(random -> mutate(generate(random), random));
    }

    /**
     * A valid config, except where the marker (sometimes with YAML indicators around it) replaces a value:
     * in half of them nowhere but in the secrets' own values.
     */
    private static String generate(Random random) {
        int inject = random.nextBoolean() ? 0 : 3 + random.nextInt(10); // the marker in one value in this many
        boolean redis = random.nextBoolean();
        List<String> lines = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            lines.add("workers: " + value(random, inject, Integer.toString(1 + random.nextInt(4))));
        } else {
            lines.add("workers:");
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                lines.add("  - " + value(random, inject, "http://localhost:" + (6001 + i)));
            }
            if (redis && random.nextBoolean()) {
                lines.add("  - " + value(random, inject, "http://10.0.0." + (1 + random.nextInt(9)) + ":5001"));
            }
        }
        lines.add("database: " + value(random, inject, redis ? "redis://10.0.0.5:6379,10.0.0.6:6379" : "db/"));
        if (redis) {
            lines.add("redis_password: " + value(random, inject, "\"" + MARKER + "\""));
            lines.add("redis_wait_replicas: " + value(random, inject, "1"));
            lines.add("redis_timeout: " + value(random, inject, "0.5"));
        }
        lines.add("cluster_secret: " + value(random, inject, MARKER + "-" + MARKER));
        lines.add("listen: " + value(random, inject, "5000"));
        lines.add("worker_persist: " + value(random, inject, random.nextBoolean() ? "0" : "0.25"));
        lines.add("health_check: " + value(random, inject, "0.5"));
        lines.add("config_check: " + value(random, inject, "2"));
        lines.add("partitions: " + value(random, inject, "16"));
        lines.add("worker_logs: " + value(random, inject, "logs/"));
        if (random.nextBoolean()) {
            lines.add("limits:");
            lines.add("  max_items: " + value(random, inject, "1000"));
            lines.add("  request_timeout: " + value(random, inject, "2.5"));
        }
        if (random.nextBoolean()) {
            lines.add("auth:");
            lines.add("  keys:");
            lines.add("    - key: " + value(random, inject, MARKER));
            lines.add("      tenants: [" + value(random, inject, "acme") + "]");
            lines.add("    - key: " + value(random, inject, "'" + MARKER + "-ops'"));
            lines.add("      ops: " + value(random, inject, "true"));
        }
        return String.join("\n", lines) + "\n";
    }

    /** Mostly {@code normal}; sometimes the marker, bare or with YAML indicators around it. */
    private static String value(Random random, int injectOneIn, String normal) {
        if (injectOneIn == 0 || random.nextInt(injectOneIn) != 0) {
            return normal;
        }
        return PREFIXES[random.nextInt(PREFIXES.length)] + MARKER + SUFFIXES[random.nextInt(SUFFIXES.length)];
    }

    private static String mutate(String text, Random random) {
        int mutations = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(6);
        StringBuilder sb = new StringBuilder(text);
        for (int m = 0; m < mutations && sb.length() > 0; m++) {
            int at = random.nextInt(sb.length());
            int lineStart = sb.lastIndexOf("\n", at) + 1;
            int lineEnd = sb.indexOf("\n", at);
            lineEnd = lineEnd < 0 ? sb.length() : lineEnd + 1;
            switch (random.nextInt(8)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, sb.charAt(at));
                case 2 -> sb.insert(at, INSERTED[random.nextInt(INSERTED.length)]);
                case 3 -> sb.delete(lineStart, lineEnd);
                case 4 -> sb.insert(lineStart, sb.substring(lineStart, lineEnd));
                case 5 -> sb.insert(lineStart, EXTRA_LINES[random.nextInt(EXTRA_LINES.length)] + "\n");
                case 6 -> sb.insert(lineStart, "  ");
                default -> {
                    if (sb.length() > lineStart + 1 && sb.charAt(lineStart) == ' ') {
                        sb.deleteCharAt(lineStart);
                    } else {
                        sb.insert(lineStart, "#");
                    }
                }
            }
        }
        return sb.toString();
    }
}
