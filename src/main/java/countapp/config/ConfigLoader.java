package countapp.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads {@code config.yaml} into a {@link Config}, reporting every problem at once. */
public final class ConfigLoader {
    static final int FIRST_LOCAL_PORT = 5001;
    private static final Set<String> KEYS = Set.of("workers", "database", "worker_logs", "worker_persist",
            "config_check", "listen", "health_check", "partitions");

    private ConfigLoader() {}

    public static Config load(Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + absolute + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + absolute + ": " + e.getMessage());
        }
        return parse(text, absolute);
    }

    static Config parse(String text, Path source) throws ConfigException {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigException(source + " is not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw new ConfigException(source + " must be a YAML mapping of settings, e.g. \"database: db/\"");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            map.put(String.valueOf(e.getKey()), e.getValue());
        }
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(KEYS);
        for (String key : unknown) {
            problems.add("unknown key \"" + key + "\" (known keys: " + new TreeSet<>(KEYS) + ")");
        }
        Path base = source.getParent() == null ? Path.of("").toAbsolutePath() : source.getParent();
        List<WorkerEndpoint> workers = workers(map.get("workers"), problems);
        Path database = path(map, "database", "db/", base, problems);
        Path logs = path(map, "worker_logs", "logs/", base, problems);
        Duration persist = seconds(map, "worker_persist", 5, true, problems);
        Duration configCheck = seconds(map, "config_check", 5, false, problems);
        int listen = integer(map, "listen", 5000, 1, 65535, problems);
        Duration health = seconds(map, "health_check", 1, false, problems);
        int partitions = integer(map, "partitions", 16, 1, 4096, problems);
        Set<Integer> localPorts = new HashSet<>();
        for (WorkerEndpoint w : workers) {
            if (w.local() && w.port() == listen) {
                problems.add("workers: " + w.url() + " uses the coordinator's listen port " + listen);
            }
            if (w.local() && !localPorts.add(w.port())) {
                problems.add("workers: two local workers on port " + w.port());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid config " + source + ":\n  - " + String.join("\n  - ", problems));
        }
        return new Config(workers, database, logs, persist, configCheck, listen, health, partitions, source);
    }

    private static List<WorkerEndpoint> workers(Object value, List<String> problems) {
        List<WorkerEndpoint> workers = new ArrayList<>();
        if (value == null) {
            problems.add("workers: missing; give a list of URLs (http://localhost:5001) or a number of local workers");
        } else if (value instanceof Integer) {
            int n = (Integer) value;
            if (n < 1 || n > 1000) {
                problems.add("workers: " + n + " local workers is out of range 1..1000");
            } else {
                for (int i = 0; i < n; i++) {
                    workers.add(WorkerEndpoint.localPort(FIRST_LOCAL_PORT + i));
                }
            }
        } else if (value instanceof List) {
            Set<String> seen = new HashSet<>();
            for (Object item : (List<?>) value) {
                if (!(item instanceof String)) {
                    problems.add("workers: " + item + " is not a URL string");
                    continue;
                }
                try {
                    WorkerEndpoint w = WorkerEndpoint.parse((String) item);
                    if (!seen.add(w.url())) {
                        problems.add("workers: " + w.url() + " is listed twice");
                    } else {
                        workers.add(w);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("workers: " + e.getMessage());
                }
            }
            if (workers.isEmpty() && problems.isEmpty()) {
                problems.add("workers: the list is empty; at least one worker is needed");
            }
        } else {
            problems.add("workers: must be a list of URLs or a number, got " + describe(value));
        }
        return workers;
    }

    private static Path path(Map<String, Object> map, String key, String fallback, Path base, List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof String) || ((String) value).isBlank()) {
            problems.add(key + ": must be a folder path, got " + describe(value));
            return base;
        }
        String s = (String) value;
        if (s.startsWith("redis://") || s.startsWith("rediss://")) {
            problems.add(key + ": Redis databases are not supported by this version; use a folder such as db/");
            return base;
        }
        return base.resolve(s).normalize();
    }

    private static Duration seconds(Map<String, Object> map, String key, double fallback, boolean zeroAllowed,
            List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof Number)) {
            problems.add(key + ": must be a number of seconds, got " + describe(value));
            return Duration.ofSeconds(1);
        }
        double s = ((Number) value).doubleValue();
        if (Double.isNaN(s) || s < 0 || (s == 0 && !zeroAllowed) || s > 86_400) {
            problems.add(key + ": " + value + " seconds is out of range (" + (zeroAllowed ? "0" : "above 0") + " to 86400)");
            return Duration.ofSeconds(1);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static int integer(Map<String, Object> map, String key, int fallback, int min, int max, List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof Integer) || (Integer) value < min || (Integer) value > max) {
            problems.add(key + ": must be a whole number from " + min + " to " + max + ", got " + describe(value));
            return fallback;
        }
        return (Integer) value;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String) {
            return "\"" + value + "\"";
        }
        return value.toString();
    }
}
