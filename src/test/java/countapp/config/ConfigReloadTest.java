package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-read file changes what may change while running; {@code database}, {@code partitions} and
 * {@code listen} keep their values in force (and are reported as pending a restart), and auth cannot be
 * switched off. The coordinator's watcher and every worker reload through {@link ConfigLoader#reload}.
 */
class ConfigReloadTest {
    private static final String KEYS = "auth:\n  keys:\n    - key: admin-key-0123456789\n      tenants: [\"*\"]\n      ops: true\n";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("config.yaml");
    }

    private Config start(String text) throws Exception {
        Files.writeString(file(), text);
        return ConfigLoader.load(file());
    }

    private ConfigLoader.Loaded reload(Config inForce, String text) throws Exception {
        Files.writeString(file(), text);
        return ConfigLoader.reload(inForce);
    }

    private String refusal(Config inForce, String text) throws Exception {
        Files.writeString(file(), text);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.reload(inForce));
        assertThat(e).as("reload must be refused:%n%s", text).isNotNull();
        return e.getMessage();
    }

    @Test
    void reload_startOnlyKeysEdited_keepValuesInForceAndListThemAsPending() throws Exception {
        Config inForce = start("workers: 2\ndatabase: db/\npartitions: 16\nlisten: 5000\nhealth_check: 1\n");

        ConfigLoader.Loaded r = reload(inForce, "workers: 2\ndatabase: db2/\npartitions: 64\nlisten: 6000\nhealth_check: 2\n");

        assertThat(r.config().database()).isEqualTo(dir.resolve("db"));
        assertThat(r.config().partitions()).isEqualTo(16);
        assertThat(r.config().listen()).isEqualTo(Listen.DEFAULT);
        assertThat(r.config().healthCheck()).as("other keys apply").isEqualTo(Duration.ofSeconds(2));
        assertThat(r.pendingRestart()).containsExactly("database", "partitions", "listen");
    }

    @Test
    void reload_fileBackToTheValuesInForce_nothingPending() throws Exception {
        Config inForce = start("workers: 2\ndatabase: db/\n");

        assertThat(reload(inForce, "workers: 3\ndatabase: ./db\n").pendingRestart()).isEmpty();
    }

    @Test
    void reload_databaseSwitchedToRedis_embeddedDatabaseStays() throws Exception {
        Config inForce = start("workers: 1\ndatabase: db/\n");

        ConfigLoader.Loaded r = reload(inForce, "workers: 1\ndatabase: redis://10.0.0.5:6379\nredis_password: pw-12345\n");

        assertThat(r.config().database()).isEqualTo(dir.resolve("db"));
        assertThat(r.config().redis()).isNull();
        assertThat(r.pendingRestart()).containsExactly("database");
    }

    @Test
    void reload_redisPasswordEdited_followsTheFileForWorkersStartedLater() throws Exception {
        Config inForce = start("workers: 1\ndatabase: redis://10.0.0.5:6379\nredis_password: old-password\n");

        Config edited = reload(inForce, "workers: 1\ndatabase: redis://10.0.0.5:6379\nredis_password: new-password\n"
                + "redis_wait_replicas: 1\n").config();
        Config toFolder = reload(inForce, "workers: 1\ndatabase: db/\n").config();

        assertThat(edited.redis().password()).isEqualTo("new-password");
        assertThat(edited.redis().waitReplicas()).isEqualTo(1);
        assertThat(toFolder.redis()).as("the Redis in force, whole, while the file names none").isEqualTo(inForce.redis());
        assertThat(toFolder.database()).isNull();
    }

    @Test
    void reload_listenEdited_portCollisionCheckedAgainstThePortInForce() throws Exception {
        Config inForce = start("workers: [http://localhost:6001, http://localhost:6002]\nlisten: 6000\n");

        // The file's new listen collides with a worker, but the coordinator still listens on 6000: no collision.
        assertThat(reload(inForce, "workers: [http://localhost:6001, http://localhost:6002]\nlisten: 6002\n")
                .pendingRestart()).containsExactly("listen");
        // A worker added on the port in force collides, whatever the file's listen now says.
        assertThat(refusal(inForce, "workers: [http://localhost:6001, http://localhost:6000]\nlisten: 7000\n"))
                .contains("workers[1]: a local worker on the coordinator's listen port");
    }

    @Test
    void reload_remoteWorkerAddedWhileTheEmbeddedDatabaseIsInForce_refused() throws Exception {
        Config inForce = start("workers: [http://localhost:6001]\ndatabase: db/\n");

        String message = refusal(inForce, "workers: [http://localhost:6001, http://10.0.0.7:6001]\n"
                + "database: redis://10.0.0.5:6379\ncluster_secret: 0123456789abcdef\n");

        assertThat(message).contains("workers[1]: a worker on another host needs a redis:// database");
    }

    @Test
    void reload_authOnAndFileWithoutAuth_refusedAsSwitchingOffTakesARestart() throws Exception {
        Config inForce = start("workers: 1\n" + KEYS);

        String message = refusal(inForce, "workers: 1\n");

        assertThat(message).contains("auth: switching authentication off takes a restart");
    }

    @Test
    void reload_authOnAndKeysBlockCommentedOut_refusedSayingToRemoveAuth() throws Exception {
        Config inForce = start("workers: 1\n" + KEYS);

        String message = refusal(inForce, "workers: 1\nauth:\n#  keys:\n#    - key: admin-key-0123456789\n"
                + "#      tenants: [\"*\"]\n");

        assertThat(message).contains("auth: has no keys; to turn authentication off, remove the auth key entirely");
    }

    @Test
    void reload_authTurnedOnOrKeysChanged_applies() throws Exception {
        Config off = start("workers: 1\n");

        Config on = reload(off, "workers: 1\n" + KEYS).config();
        Config changed = reload(on, "workers: 1\n" + KEYS.replace("admin-key-0123456789", "other-key-0123456789")).config();

        assertThat(on.auth().enabled()).isTrue();
        assertThat(changed.auth().authenticate("Bearer other-key-0123456789")).isNotNull();
        assertThat(catchThrowableOfType(countapp.api.ApiException.class,
                () -> changed.auth().authenticate("Bearer admin-key-0123456789")).status()).isEqualTo(401);
    }

    @Test
    void keepAuthOn_workerSpawnedWithAuthOnAndFileWithout_refused() throws Exception {
        Config withoutAuth = start("workers: 1\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.keepAuthOn(true, withoutAuth));

        assertThat(e.getMessage()).contains("auth: switching authentication off takes a restart");
        ConfigLoader.keepAuthOn(false, withoutAuth);
    }

    @Test
    void load_spawnedWorkerPins_winOverTheEditedFileAndSkipTheListenCheck() throws Exception {
        Files.writeString(file(), "workers: [http://localhost:6001, http://localhost:6002]\ndatabase: db2/\n"
                + "partitions: 64\nlisten: 6001\n");
        Pins pins = Pins.forWorker(dir.resolve("db").toString(), 16, countapp.model.Retention.NONE, 0, Duration.ofSeconds(2), null);

        ConfigLoader.Loaded r = ConfigLoader.load(file(), pins);

        assertThat(r.config().database()).isEqualTo(dir.resolve("db"));
        assertThat(r.config().partitions()).isEqualTo(16);
        assertThat(r.pendingRestart()).containsExactly("database", "partitions");
        // And its own reloads keep them.
        assertThat(ConfigLoader.reload(r.config()).config().database()).isEqualTo(dir.resolve("db"));
    }

    @Test
    void load_spawnedWorkerRedisPins_keepTheServersAndTakeThePasswordGiven() throws Exception {
        Files.writeString(file(), "workers: 1\ndatabase: db/\n");
        Pins pins = Pins.forWorker("rediss://a:7000,[::1]:7001", 16, countapp.model.Retention.NONE, 1, Duration.ofMillis(1500), "the-password");

        Config c = ConfigLoader.load(file(), pins).config();

        assertThat(c.redis().toString()).isEqualTo("rediss://a:7000,[::1]:7001");
        assertThat(c.redis().password()).isEqualTo("the-password");
        assertThat(c.redis().waitReplicas()).isEqualTo(1);
        assertThat(c.redis().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.database()).isNull();
    }
}
