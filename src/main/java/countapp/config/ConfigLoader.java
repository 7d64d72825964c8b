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
import countapp.api.Limits;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads {@code config.yaml} into a {@link Config}, reporting every problem at once. */
public final class ConfigLoader {
    static final int FIRST_LOCAL_PORT = 5001;
    private static final Set<String> KEYS = Set.of("workers", "database", "worker_logs", "worker_persist",
            "config_check", "listen", "health_check", "partitions", "worker_bind", "cluster_secret", "limits", "auth",
            "redis_password", "redis_wait_replicas", "redis_timeout");
    private static final Set<String> LIMIT_KEYS = Set.of("max_body_bytes", "max_items", "max_value_bytes",
            "max_header_bytes", "request_timeout", "max_connections", "max_pending_bytes", "max_in_flight");

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
        Object databaseValue = map.getOrDefault("database", "db/");
        RedisConfig redis = null;
        Path database = null;
        if (databaseValue instanceof String && RedisUrl.isRedis((String) databaseValue)) {
            redis = redis(map, (String) databaseValue, problems);
        } else {
            database = path(map, "database", "db/", base, problems);
            for (String key : List.of("redis_password", "redis_wait_replicas", "redis_timeout")) {
                if (map.containsKey(key)) {
                    problems.add(key + ": applies only when database is a redis:// URL");
                }
            }
        }
        Path logs = path(map, "worker_logs", "logs/", base, problems);
        Duration persist = seconds(map, "worker_persist", 5, true, problems);
        Duration configCheck = seconds(map, "config_check", 5, false, problems);
        int listen = integer(map, "listen", 5000, 1, 65535, problems);
        Duration health = seconds(map, "health_check", 1, false, problems);
        int partitions = integer(map, "partitions", 16, 1, 4096, problems);
        String workerBind = string(map, "worker_bind", "127.0.0.1", problems);
        ClusterSecret secret = secret(map.get("cluster_secret"), problems);
        Limits limits = limits(map.get("limits"), problems);
        Auth auth = auth(map.get("auth"), problems);
        if (secret == null && workers.stream().anyMatch(w -> !w.local())) {
            problems.add("cluster_secret: required when a worker is remote (the same value in the remote worker's config)");
        }
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
        return new Config(workers, database, redis, logs, persist, configCheck, listen, health, partitions, workerBind, secret,
                limits, auth, source);
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
        return base.resolve((String) value).normalize();
    }

    private static RedisConfig redis(Map<String, Object> map, String url, List<String> problems) {
        List<RedisConfig.HostPort> nodes;
        try {
            nodes = RedisUrl.nodes(url);
        } catch (IllegalArgumentException e) {
            problems.add("database: " + e.getMessage());
            nodes = List.of(new RedisConfig.HostPort("localhost", 6379));
        }
        String password = null;
        Object pw = map.get("redis_password");
        if (pw != null) {
            if (!(pw instanceof String) || ((String) pw).isEmpty()) {
                problems.add("redis_password: must be a non-empty string");
            } else {
                password = (String) pw;
            }
        }
        int wait = integer(map, "redis_wait_replicas", 0, 0, 16, problems);
        Duration timeout = seconds(map, "redis_timeout", 2, false, problems);
        return new RedisConfig(nodes, url.startsWith(RedisUrl.TLS_SCHEME), password, wait, timeout);
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

    private static String string(Map<String, Object> map, String key, String fallback, List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof String) || ((String) value).isBlank()) {
            problems.add(key + ": must be a non-empty string, got " + describe(value));
            return fallback;
        }
        return ((String) value).trim();
    }

    private static ClusterSecret secret(Object value, List<String> problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String)) {
            problems.add("cluster_secret: must be a string");
            return null;
        }
        try {
            return ClusterSecret.of((String) value);
        } catch (IllegalArgumentException e) {
            problems.add("cluster_secret: " + e.getMessage());
            return null;
        }
    }

    private static Limits limits(Object value, List<String> problems) {
        if (value == null) {
            return Limits.DEFAULT;
        }
        if (!(value instanceof Map)) {
            problems.add("limits: must be a mapping of " + new TreeSet<>(LIMIT_KEYS));
            return Limits.DEFAULT;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> map.put(String.valueOf(k), v));
        for (String key : new TreeSet<>(map.keySet())) {
            if (!LIMIT_KEYS.contains(key)) {
                problems.add("limits: unknown key \"" + key + "\" (known keys: " + new TreeSet<>(LIMIT_KEYS) + ")");
            }
        }
        Limits d = Limits.DEFAULT;
        int before = problems.size();
        int body = integer(map, "max_body_bytes", d.maxBodyBytes(), 64, Integer.MAX_VALUE - 8, problems);
        int items = integer(map, "max_items", d.maxItems(), 1, 10_000_000, problems);
        int value_ = integer(map, "max_value_bytes", d.maxValueBytes(), 1, 1 << 20, problems);
        int header = integer(map, "max_header_bytes", d.maxHeaderBytes(), 256, 1 << 20, problems);
        Duration timeout = seconds(map, "request_timeout", d.requestTimeout().toMillis() / 1000.0, false, problems);
        int connections = integer(map, "max_connections", d.maxConnections(), 1, 1_000_000, problems);
        int pending = integer(map, "max_pending_bytes", (int) d.maxPendingBytes(), 64, Integer.MAX_VALUE, problems);
        int inFlight = integer(map, "max_in_flight", d.maxInFlight(), 1, 1_000_000, problems);
        if (problems.size() == before && pending < body) {
            problems.add("max_pending_bytes: must be at least max_body_bytes (" + body + "), or no request of the "
                    + "largest size could ever be read");
        }
        for (int i = before; i < problems.size(); i++) {
            problems.set(i, "limits." + problems.get(i));
        }
        return problems.size() > before ? Limits.DEFAULT
                : new Limits(body, items, value_, header, timeout, connections, pending, inFlight);
    }

    private static Auth auth(Object value, List<String> problems) {
        if (value == null) {
            return Auth.OFF;
        }
        Object keys = value instanceof Map ? ((Map<?, ?>) value).get("keys") : null;
        if (!(keys instanceof List) || ((List<?>) keys).isEmpty()) {
            problems.add("auth: must hold a non-empty list \"keys\" of {key or key_sha256, tenants}");
            return Auth.OFF;
        }
        List<Auth.Key> parsed = new ArrayList<>();
        int index = 0;
        for (Object entry : (List<?>) keys) {
            String where = "auth.keys[" + index++ + "]: ";
            if (!(entry instanceof Map)) {
                problems.add(where + "must be a mapping with key (or key_sha256) and tenants");
                continue;
            }
            Map<?, ?> m = (Map<?, ?>) entry;
            Object plain = m.get("key");
            Object hashed = m.get("key_sha256");
            Object tenants = m.get("tenants");
            byte[] digest = null;
            if ((plain == null) == (hashed == null)) {
                problems.add(where + "give exactly one of key and key_sha256");
            } else if (plain != null) {
                if (!(plain instanceof String) || ((String) plain).length() < 8) {
                    problems.add(where + "key must be a string of at least 8 characters");
                } else {
                    digest = Auth.sha256((String) plain);
                }
            } else {
                try {
                    digest = Auth.parseDigest(String.valueOf(hashed));
                } catch (IllegalArgumentException e) {
                    problems.add(where + "key_sha256: " + e.getMessage());
                }
            }
            Set<String> scope = new HashSet<>();
            if (!(tenants instanceof List) || ((List<?>) tenants).isEmpty()) {
                problems.add(where + "tenants must be a non-empty list of tenant names, or [\"*\"] for all");
            } else {
                for (Object t : (List<?>) tenants) {
                    scope.add(String.valueOf(t));
                }
            }
            for (Object k : m.keySet()) {
                if (!Set.of("key", "key_sha256", "tenants").contains(String.valueOf(k))) {
                    problems.add(where + "unknown key \"" + k + "\"");
                }
            }
            if (digest != null && !scope.isEmpty()) {
                parsed.add(new Auth.Key(digest, Set.copyOf(scope)));
            }
        }
        return Auth.of(parsed);
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
