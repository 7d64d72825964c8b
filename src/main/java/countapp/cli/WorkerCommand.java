package countapp.cli;

import countapp.config.Config;
import countapp.config.ConfigException;
import countapp.config.ConfigLoader;
import countapp.worker.Worker;
import java.nio.file.Path;
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

    @Override
    public Integer call() throws Exception {
        Config cfg;
        try {
            cfg = ConfigLoader.load(config);
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
}
