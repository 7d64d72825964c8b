package countapp.cli;

import countapp.config.Config;
import countapp.config.ConfigException;
import countapp.config.ConfigLoader;
import countapp.coordinator.Coordinator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Runs the public API on the configured port and spawns and supervises the local workers.")
final class CoordinatorCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "config.yaml", description = "config file (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() throws Exception {
        Config cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("countapp: " + e.getMessage());
            return 2;
        }
        Coordinator.start(cfg);
        new CountDownLatch(1).await(); // runs until a signal; the shutdown hook stops the workers
        return 0;
    }
}
