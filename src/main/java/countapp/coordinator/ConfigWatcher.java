package countapp.coordinator;

import countapp.config.Config;
import countapp.config.ConfigException;
import countapp.config.ConfigLoader;
import countapp.config.RefusalLog;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config file every {@code config_check} seconds and hands a changed one to the supervisor;
 * a bad file keeps the last good config. The keys read only at start ({@code database}, {@code partitions},
 * {@code listen}) keep their values in force, and a file that would switch auth off is refused (see
 * {@link ConfigLoader#reload}). Remembers when the config in force was loaded, when the file was last read,
 * why the last read was refused and which start-only keys differ on disk, for the status page. A refused
 * file is logged once per change of the file (or of why it is refused), not at every check.
 */
final class ConfigWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Supervisor supervisor;
    private volatile Config current;
    private volatile Instant loadedAt;
    private volatile Instant checkedAt;
    private volatile String lastError;
    private volatile List<String> pendingRestart = List.of();
    private volatile boolean stopped;
    private final RefusalLog refusals = new RefusalLog(); // only the watcher thread

    ConfigWatcher(Supervisor supervisor, Config initial) {
        this.supervisor = supervisor;
        this.current = initial;
        this.loadedAt = Instant.now();
    }

    void start() {
        Thread t = new Thread(this::run, "config-watch");
        t.setDaemon(true);
        t.start();
    }

    void stop() {
        stopped = true;
    }

    Instant loadedAt() {
        return loadedAt;
    }

    Instant checkedAt() {
        return checkedAt;
    }

    String lastError() {
        return lastError;
    }

    /** The keys read only at start whose value on disk differs from the value in force. */
    List<String> pendingRestart() {
        return pendingRestart;
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(supervisor.config().configCheck().toMillis());
                check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void check() {
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.reload(current);
            Config fresh = loaded.config();
            checkedAt = Instant.now();
            lastError = null;
            refusals.accepted();
            if (!loaded.pendingRestart().equals(pendingRestart)) {
                pendingRestart = loaded.pendingRestart();
                if (!pendingRestart.isEmpty()) { // logged once per change, not on every re-read
                    LOG.warn("config: {} changed on disk; the values in force stay until the coordinator restarts "
                            + "(spawned workers get them too)", pendingRestart);
                }
            }
            if (!fresh.equals(current)) {
                LOG.info("config {} changed; applying it", fresh.source());
                supervisor.apply(fresh);
                current = fresh;
                loadedAt = checkedAt;
            }
        } catch (ConfigException e) {
            checkedAt = Instant.now();
            lastError = e.getMessage();
            if (refusals.isNews(current.source(), e.getMessage())) {
                LOG.error("config reload failed; the last good config stays in force: {}", e.getMessage());
            } else {
                LOG.debug("config still refused, as logged before");
            }
        } catch (RuntimeException e) {
            checkedAt = Instant.now();
            lastError = "the reload failed (" + e.getClass().getSimpleName() + "); see the log";
            LOG.error("config reload failed; the last good config stays in force", e);
        }
    }
}
