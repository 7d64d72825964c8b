package countapp.config;

import countapp.model.Retention;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of the keys a process reads only when it starts: {@code database}, {@code partitions},
 * {@code listen}, {@code allow_open} and {@code windows}. A reload keeps them, and a coordinator hands its own to every worker it spawns, so a
 * worker respawned after the file was edited opens the same data as the others, never the edited folder.
 *
 * <p>With Redis, what is fixed is where the data lives (the nodes, TLS); {@code redis_password},
 * {@code redis_wait_replicas} and {@code redis_timeout} follow the file whenever it still names a Redis
 * database, and apply to workers started after the change.
 *
 * @param database the embedded database folder in force, or null with Redis
 * @param redis the Redis settings in force, or null with the embedded database
 * @param partitions {@code partitions} in force
 * @param listen the coordinator's address and port in force, or null in a spawned worker, which has no say
 *     in it
 * @param allowOpen {@code allow_open} in force (false in a spawned worker)
 * @param windows the windows in force
 */
public record Pins(Path database, RedisConfig redis, int partitions, Listen listen, boolean allowOpen,
        Retention windows) {
    /** Keys read only at start, as named in the file. */
    public static final List<String> KEYS = List.of("database", "partitions", "listen", "allow_open", "windows");

    public Pins {
        if ((database == null) == (redis == null)) {
            throw new IllegalArgumentException("exactly one of database folder and redis must be set");
        }
    }

    /** The values in force in {@code config}. */
    public static Pins of(Config config) {
        return new Pins(config.database(), config.redis(), config.partitions(), config.listen(),
                config.allowOpen(), config.windows());
    }

    /**
     * A spawned worker's pins, from the options its coordinator passed: {@code database} as shown by
     * {@link Config#databaseName()} (a folder, or a Redis URL without the password).
     */
    public static Pins forWorker(String database, int partitions, Retention windows, int redisWaitReplicas,
            Duration redisTimeout, String redisPassword) throws ConfigException {
        if (partitions < 1 || partitions > 4096) {
            throw new ConfigException("--partitions must be from 1 to 4096");
        }
        if (RedisUrl.isRedis(database)) {
            try {
                return new Pins(null, new RedisConfig(RedisUrl.nodes(database), database.startsWith(RedisUrl.TLS_SCHEME),
                        redisPassword, redisWaitReplicas, redisTimeout), partitions, null, false, windows);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--database: " + e.getMessage());
            }
        }
        try {
            return new Pins(Path.of(database).toAbsolutePath().normalize(), null, partitions, null, false, windows);
        } catch (InvalidPathException e) {
            throw new ConfigException("--database: not a valid folder path");
        }
    }

    /** The {@code --windows days,months} option a coordinator passes its workers. */
    public static Retention windowsOption(String value) throws ConfigException {
        String[] parts = value.split(",", -1);
        try {
            if (parts.length == 2) {
                return new Retention(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("--windows must be days,months (e.g. 35,13), each within the windows limits");
    }

    /** As {@link #windowsOption} reads it. */
    public static String windowsOption(Retention windows) {
        return windows.days() + "," + windows.months();
    }

    /** The pinned keys whose value in the file differs from the value in force, in {@link #KEYS} order. */
    List<String> changedIn(Path fileDatabase, RedisConfig fileRedis, int filePartitions, Listen fileListen,
            boolean fileAllowOpen, Retention fileWindows) {
        List<String> changed = new ArrayList<>();
        boolean sameDatabase = database != null ? database.equals(fileDatabase)
                : fileRedis != null && redis.nodes().equals(fileRedis.nodes()) && redis.tls() == fileRedis.tls();
        if (!sameDatabase) {
            changed.add("database");
        }
        if (partitions != filePartitions) {
            changed.add("partitions");
        }
        if (listen != null && !listen.equals(fileListen)) {
            changed.add("listen");
        }
        if (listen != null && allowOpen != fileAllowOpen) {
            changed.add("allow_open");
        }
        if (!windows.equals(fileWindows)) {
            changed.add("windows");
        }
        return changed;
    }

    /** The Redis settings to use: these servers, with the file's password and limits when it names Redis too. */
    RedisConfig redisWith(RedisConfig fileRedis) {
        if (redis == null || fileRedis == null) {
            return redis;
        }
        return new RedisConfig(redis.nodes(), redis.tls(), fileRedis.password(), fileRedis.waitReplicas(),
                fileRedis.timeout());
    }
}
