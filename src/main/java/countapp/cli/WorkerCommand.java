package countapp.cli;

import countapp.config.Config;
import countapp.config.ConfigException;
import countapp.config.ConfigLoader;
import countapp.config.Pins;
import countapp.config.RedisConfig;
import countapp.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Runs one worker. The coordinator starts these itself; start one by hand only on a remote host.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = {"-p", "--port"}, required = true, description = "HTTP port")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = {"-c", "--config"}, defaultValue = "config.yaml", description = "config file (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--parent-pid", defaultValue = "0", description = "exit when this process (the coordinator) is gone")
    long parentPid;

    // Set by a coordinator for the workers it spawns: the values in force, which win over an edited file.
    @Option(names = "--database", description = "database in force (a folder, or a redis:// URL without password; "
            + "the password comes in " + RedisConfig.PASSWORD_ENV + "); overrides the file's. Set by the coordinator")
    String database;

    @Option(names = "--partitions", description = "partitions in force; overrides the file's. Set by the coordinator")
    Integer partitions;

    @Option(names = "--windows", defaultValue = "0,0", description = "windows in force, as days,months "
            + "(0,0: none); overrides the file's. Set by the coordinator")
    String windows;

    @Option(names = "--redis-wait-replicas", defaultValue = "0", description = "with --database redis://…: "
            + "redis_wait_replicas in force when the file no longer names Redis. Set by the coordinator")
    int redisWaitReplicas;

    @Option(names = "--redis-timeout", defaultValue = "2", description = "with --database redis://…: "
            + "redis_timeout (seconds) in force when the file no longer names Redis. Set by the coordinator")
    double redisTimeout;

    @Option(names = "--auth-required", description = "refuse a config without auth (auth is on in the coordinator). "
            + "Set by the coordinator")
    boolean authRequired;

    @Override
    public Integer call() throws Exception {
        Config cfg;
        try {
            cfg = load();
        } catch (ConfigException e) {
            System.err.println("countapp worker: " + e.getMessage());
            return 2;
        }
        try {
            Worker.start(new Worker.WorkerOptions(port, bind, parentPid, cfg));
        } catch (Exception e) {
            System.err.println("countapp worker: " + e.getMessage());
            return 1;
        }
        Thread.currentThread().join(); // runs until stopped; /kill and signals exit the JVM
        return 0;
    }

    private Config load() throws ConfigException {
        if (database == null && partitions == null) {
            return ConfigLoader.load(config); // started by hand: the file is all there is
        }
        if (database == null || partitions == null) {
            throw new ConfigException("--database and --partitions go together");
        }
        Pins pins = Pins.forWorker(database, partitions, Pins.windowsOption(windows), redisWaitReplicas,
                Duration.ofMillis(Math.max(1, Math.round(redisTimeout * 1000))), System.getenv(RedisConfig.PASSWORD_ENV));
        Config loaded = ConfigLoader.load(config, pins).config();
        ConfigLoader.keepAuthOn(authRequired, loaded);
        return loaded;
    }
}
