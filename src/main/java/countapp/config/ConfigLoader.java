package countapp.config;

import countapp.model.Limits;
import countapp.model.Retention;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code config.yaml} into a {@link Config}, reporting every problem at once.
 *
 * <p>Every problem names the key (or, for keys that are not settings and for YAML syntax, the line) and the
 * kind of problem, never a value: a value may be a password, and these messages go to logs, to
 * {@code GET /status} and to the dashboard. Any file content ends in a {@link Config} or a
 * {@link ConfigException}, never another exception.
 */
public final class ConfigLoader {
    private static final Set<String> KEYS = Set.of("workers", "database", "worker_logs", "worker_persist",
            "config_check", "listen", "allow_open", "health_check", "failover_timeout", "partitions", "worker_bind", "cluster_secret", "limits", "auth", "windows",
            "redis_password", "redis_wait_replicas", "redis_timeout");
    static final Set<String> WINDOW_KEYS = Set.of("day", "month");
    private static final Set<String> LIMIT_KEYS = Set.of("max_body_bytes", "max_items", "max_value_bytes",
            "max_header_bytes", "request_timeout", "max_connections", "max_pending_bytes", "max_in_flight");
    /** Every name a YAML error may name as the key of its line. */
    private static final Set<String> KEY_NAMES;
    private static final double MAX_SECONDS = 86_400;

    static {
        Set<String> names = new HashSet<>(KEYS);
        names.addAll(LIMIT_KEYS);
        names.addAll(AuthSection.KEYS);
        names.addAll(AuthSection.KEY_KEYS);
        KEY_NAMES = Set.copyOf(names);
    }

    private ConfigLoader() {}

    /**
     * A config read from a file, and the keys read only at start whose value in the file differs from the
     * value in force (kept until a restart).
     */
    public record Loaded(Config config, List<String> pendingRestart) {
        public Loaded {
            pendingRestart = List.copyOf(pendingRestart);
        }
    }

    /** Reads the file as it is: how a process starts. */
    public static Config load(Path file) throws ConfigException {
        return load(file, null).config();
    }

    /** Reads the file, keeping the values of {@code pins} (null: none) for the keys read only at start. */
    public static Loaded load(Path file, Pins pins) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + absolute + " does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read config file " + absolute + ": it is not UTF-8 text");
        } catch (IOException e) {
            // The exception's message is left out: for some it is a piece of the file.
            throw new ConfigException("cannot read config file " + absolute + " (" + e.getClass().getSimpleName() + ")");
        }
        return parse(text, absolute, pins);
    }

    /**
     * Re-reads the file of the config in force: the keys read only at start keep their values, and a file
     * that would switch authentication off is refused (with auth on, a key block commented out by mistake
     * must not open the cluster to everyone; turning auth off takes a restart).
     */
    public static Loaded reload(Config inForce) throws ConfigException {
        Loaded fresh = load(inForce.source(), Pins.of(inForce));
        keepAuthOn(inForce.auth().enabled(), fresh.config());
        return fresh;
    }

    /**
     * Refuses {@code fresh} when it has auth off but auth is on in force ({@code authOn}): on a reload, and
     * for a worker spawned by a coordinator with auth on, which must not come up open because the file was
     * edited meanwhile.
     */
    public static void keepAuthOn(boolean authOn, Config fresh) throws ConfigException {
        if (authOn && !fresh.auth().enabled()) {
            throw new ConfigException(invalid(fresh.source(),
                    List.of("auth: switching authentication off takes a restart; the keys in force stay")));
        }
    }

    static Config parse(String text, Path source) throws ConfigException {
        return parse(text, source, null).config();
    }

    static Loaded parse(String text, Path source, Pins pins) throws ConfigException {
        try {
            return parseChecked(text, source, pins);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug here, not a bad file; still refused like one, so a reload keeps the config in force. The
            // exception's own message is left out: it might quote the file.
            throw new ConfigException(invalid(source, List.of("the file could not be checked ("
                    + e.getClass().getSimpleName() + "); this is a bug in CountApp")));
        }
    }

    private static Loaded parseChecked(String text, Path source, Pins pins) throws ConfigException {
        YamlDocument doc;
        try {
            doc = YamlDocument.read(text, KEY_NAMES);
        } catch (ConfigException e) {
            throw new ConfigException(invalid(source, List.of(e.getMessage())));
        }
        if (!(doc.data() instanceof Map)) {
            int line = doc.root() == null ? 1 : doc.root().getStartMark().getLine() + 1;
            throw new ConfigException(invalid(source, List.of("line " + line + ": the file must be a YAML mapping of "
                    + "settings (key: value lines), e.g. \"database: db/\"; it holds " + Kind.of(doc.data()))));
        }
        List<String> problems = new ArrayList<>();
        KeyCheck.unknownKeys(doc.root(), KEYS, LIMIT_KEYS, problems);
        Map<String, Object> map = settings((Map<?, ?>) doc.data());
        Path base = source.getParent() == null ? Path.of("").toAbsolutePath() : source.getParent();
        Listen listen = BindSection.listen(map.get("listen"), problems);
        boolean allowOpen = BindSection.allowOpen(map.get("allow_open"), problems);
        boolean numberOfWorkers = Kind.wholeNumber(map.get("workers"));
        // N local workers follow the coordinator's port as in force: a reload keeps their ports.
        int firstLocalPort = (pins != null && pins.listen() != null ? pins.listen() : listen).port() + 1;
        List<WorkerEndpoint> workers = workers(map.get("workers"), firstLocalPort, problems);
        Object databaseValue = map.getOrDefault("database", "db/");
        RedisConfig redis = null;
        Path database = null;
        if (databaseValue instanceof String && RedisUrl.isRedis((String) databaseValue)) {
            redis = redis(map, (String) databaseValue, problems);
        } else {
            database = folder(map, "database", "db/", "a folder path or a redis:// URL", base, problems);
            for (String key : List.of("redis_password", "redis_wait_replicas", "redis_timeout")) {
                if (map.containsKey(key)) {
                    problems.add(key + ": applies only when database is a redis:// URL");
                }
            }
        }
        Path logs = folder(map, "worker_logs", "logs/", "a folder path", base, problems);
        Duration persist = seconds(map, "worker_persist", 5, true, problems);
        Duration configCheck = seconds(map, "config_check", 5, false, problems);
        Duration health = seconds(map, "health_check", 1, false, problems);
        Duration failover = seconds(map, "failover_timeout", 30, false, problems);
        int partitions = integer(map, "partitions", 16, 1, 4096, problems);
        String workerBind = string(map, "worker_bind", "127.0.0.1", problems);
        ClusterSecret secret = secret(map, problems);
        Limits limits = limits(map.get("limits"), problems);
        Auth auth = AuthSection.parse(map.containsKey("auth"), map.get("auth"), problems);
        Retention windows = windows(map.get("windows"), problems);

        List<String> pending = List.of();
        if (pins != null) {
            pending = pins.changedIn(database, redis, partitions, listen, allowOpen, windows);
            database = pins.database();
            redis = pins.redisWith(redis);
            partitions = pins.partitions();
            listen = pins.listen();
            allowOpen = pins.allowOpen();
            windows = pins.windows();
        }
        crossCheck(workers, numberOfWorkers, listen, database != null, secret, problems);
        BindSection.check(listen, workerBind, auth.enabled(), allowOpen, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(invalid(source, problems));
        }
        return new Loaded(new Config(workers, database, redis, logs, persist, configCheck, listen, allowOpen, health, failover, partitions,
                workerBind, secret, limits, auth, windows, source), pending);
    }

    /** The message of a refused file: its path, then one problem a line. */
    static String invalid(Path source, List<String> problems) {
        return "invalid config " + source + ":\n  - " + String.join("\n  - ", problems);
    }

    /** The top-level settings by name; keys that are not strings are not settings (reported as unknown). */
    private static Map<String, Object> settings(Map<?, ?> data) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : data.entrySet()) {
            if (e.getKey() instanceof String) {
                map.put((String) e.getKey(), e.getValue());
            }
        }
        return map;
    }

    /**
     * Checks between keys, with the values in force for the keys read only at start: a reload is checked
     * against the port the coordinator really listens on and the database it really uses.
     */
    private static void crossCheck(List<WorkerEndpoint> workers, boolean numberOfWorkers, Listen listen, boolean embedded,
            ClusterSecret secret, List<String> problems) {
        Map<Integer, Integer> localPorts = new HashMap<>();
        boolean remote = false;
        for (int i = 0; i < workers.size(); i++) {
            WorkerEndpoint w = workers.get(i);
            String where = numberOfWorkers ? "workers" : "workers[" + i + "]";
            if (w.local() && listen != null && w.port() == listen.port()) {
                problems.add(where + ": a local worker on the coordinator's listen port");
            }
            Integer first = w.local() ? localPorts.putIfAbsent(w.port(), i) : null;
            if (first != null) {
                problems.add(where + ": the same local port as workers[" + first + "]");
            }
            if (embedded && !w.loopback()) {
                problems.add(where + ": a worker on another host needs a redis:// database. With the embedded "
                        + "database (database: a folder), a partition moving between hosts would open another "
                        + "host's disk: counts would drop and pairs count twice. Set database to redis://host:port");
            }
            remote |= !w.local();
        }
        if (secret == null && remote) {
            problems.add("cluster_secret: required when a worker is remote (the same value in the remote worker's config)");
        }
    }

    private static List<WorkerEndpoint> workers(Object value, int firstLocalPort, List<String> problems) {
        List<WorkerEndpoint> workers = new ArrayList<>();
        if (value == null) {
            problems.add("workers: missing; give a list of URLs (http://localhost:5001) or a number of local workers");
        } else if (Kind.wholeNumber(value)) {
            if (!(value instanceof Integer) || (Integer) value < 1 || (Integer) value > 1000) {
                problems.add("workers: a number of local workers must be from 1 to 1000");
            } else if (firstLocalPort + (Integer) value - 1 > 65535) {
                problems.add("workers: N local workers take the ports after listen's, and these run past 65535");
            } else {
                for (int i = 0; i < (Integer) value; i++) {
                    workers.add(WorkerEndpoint.localPort(firstLocalPort + i));
                }
            }
        } else if (value instanceof List) {
            Map<String, Integer> seen = new HashMap<>();
            List<?> list = (List<?>) value;
            int before = problems.size();
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (!(item instanceof String)) {
                    problems.add("workers[" + i + "]: must be a URL string, got " + Kind.of(item));
                    continue;
                }
                try {
                    WorkerEndpoint w = WorkerEndpoint.parse((String) item);
                    Integer first = seen.putIfAbsent(w.url(), i);
                    if (first != null) {
                        problems.add("workers[" + i + "]: the same worker as workers[" + first + "]");
                    } else {
                        workers.add(w);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("workers[" + i + "]: " + e.getMessage());
                }
            }
            if (list.isEmpty() && problems.size() == before) {
                problems.add("workers: the list is empty; at least one worker is needed");
            }
        } else {
            problems.add("workers: must be a list of URLs or a number of local workers, got " + Kind.of(value));
        }
        return workers;
    }

    private static Path folder(Map<String, Object> map, String key, String fallback, String what, Path base,
            List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof String) || ((String) value).isBlank()) {
            problems.add(key + ": must be " + what + ", got " + Kind.of(value));
            return base;
        }
        try {
            return base.resolve((String) value).normalize();
        } catch (InvalidPathException e) {
            problems.add(key + ": not a valid folder path (it holds a character paths cannot have)");
            return base;
        }
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
        if (map.containsKey("redis_password")) {
            Object pw = map.get("redis_password");
            if (!(pw instanceof String) || ((String) pw).isEmpty()) {
                problems.add("redis_password: must be a non-empty string, got " + Kind.of(pw));
            } else {
                password = (String) pw;
            }
        }
        int wait = integer(map, "redis_wait_replicas", 0, 0, 16, problems);
        Duration timeout = seconds(map, "redis_timeout", 2, false, problems);
        return new RedisConfig(nodes, url.startsWith(RedisUrl.TLS_SCHEME), password, wait, timeout);
    }

    /**
     * A duration in seconds: 0 where {@code zeroAllowed} (it means "at once"), otherwise at least 1 ms. A
     * smaller value would round to 0 ms, and a 0-ms interval is a busy loop (or a worker failing every
     * health check).
     */
    private static Duration seconds(Map<String, Object> map, String key, double fallback, boolean zeroAllowed,
            List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof Number)) {
            problems.add(key + ": must be a number of seconds, got " + Kind.of(value));
            return Duration.ofSeconds(1);
        }
        double s = ((Number) value).doubleValue();
        boolean zero = s == 0 && zeroAllowed;
        if (!zero && !(s >= 0.001 && s <= MAX_SECONDS)) { // also refuses NaN
            problems.add(key + ": out of range: must be " + (zeroAllowed ? "0 or " : "") + "from 0.001 (1 ms) to "
                    + (long) MAX_SECONDS + " seconds");
            return Duration.ofSeconds(1);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static int integer(Map<String, Object> map, String key, int fallback, int min, int max, List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!Kind.wholeNumber(value)) {
            problems.add(key + ": must be a whole number from " + min + " to " + max + ", got " + Kind.of(value));
            return fallback;
        }
        if (!(value instanceof Integer) || (Integer) value < min || (Integer) value > max) {
            problems.add(key + ": out of range: must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return (Integer) value;
    }

    private static String string(Map<String, Object> map, String key, String fallback, List<String> problems) {
        Object value = map.getOrDefault(key, fallback);
        if (!(value instanceof String) || ((String) value).isBlank()) {
            problems.add(key + ": must be a non-empty string, got " + Kind.of(value));
            return fallback;
        }
        return ((String) value).trim();
    }

    private static ClusterSecret secret(Map<String, Object> map, List<String> problems) {
        if (!map.containsKey("cluster_secret")) {
            return null;
        }
        Object value = map.get("cluster_secret");
        if (!(value instanceof String)) {
            problems.add("cluster_secret: must be a string of at least 16 characters, got " + Kind.of(value));
            return null;
        }
        if (((String) value).length() < 16) {
            problems.add("cluster_secret: must be at least 16 characters long");
            return null;
        }
        return ClusterSecret.of((String) value);
    }

    /** {@code windows: {day: 35, month: 13}}: how many UTC days and months keep their own counts. */
    private static Retention windows(Object value, List<String> problems) {
        if (value == null) {
            return Retention.NONE;
        }
        if (!(value instanceof Map)) {
            problems.add("windows: must be a mapping such as {day: 35, month: 13}, got " + Kind.of(value));
            return Retention.NONE;
        }
        Map<String, Object> map = settings((Map<?, ?>) value);
        int before = problems.size();
        int days = integer(map, "day", 0, 0, Retention.MAX_DAYS, problems);
        int months = integer(map, "month", 0, 0, Retention.MAX_MONTHS, problems);
        for (int i = before; i < problems.size(); i++) {
            problems.set(i, "windows." + problems.get(i));
        }
        return problems.size() > before ? Retention.NONE : new Retention(days, months);
    }

    private static Limits limits(Object value, List<String> problems) {
        if (value == null) {
            return Limits.DEFAULT;
        }
        if (!(value instanceof Map)) {
            problems.add("limits: must be a mapping of " + new TreeSet<>(LIMIT_KEYS) + ", got " + Kind.of(value));
            return Limits.DEFAULT;
        }
        Map<String, Object> map = settings((Map<?, ?>) value);
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
            problems.add("max_pending_bytes: must be at least max_body_bytes, or no request of the "
                    + "largest size could ever be read");
        }
        for (int i = before; i < problems.size(); i++) {
            problems.set(i, "limits." + problems.get(i));
        }
        return problems.size() > before ? Limits.DEFAULT
                : new Limits(body, items, value_, header, timeout, connections, pending, inFlight);
    }
}
