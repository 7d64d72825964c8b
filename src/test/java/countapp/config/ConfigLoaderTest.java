package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path source() {
        return dir.resolve("config.yaml");
    }

    private Config parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, source());
    }

    private String problems(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(text));
        assertThat(e).as("config must be rejected:%n%s", text).isNotNull();
        assertThat(e.getMessage()).contains(source().toString());
        return e.getMessage();
    }

    private static List<String> urls(Config config) {
        return config.workers().stream().map(WorkerEndpoint::url).toList();
    }

    private static final String FULL = """
            # CountApp configuration
            workers:            # worker URLs, or a number N
              - http://localhost:6001
              - http://localhost:6002
              - http://127.0.0.1:6003
              - http://localhost:6004
            database: data/db/
            worker_logs: var/logs/
            worker_persist: 2.5
            config_check: 7
            listen: 6000
            health_check: 0.5
            partitions: 64
            """;

    @Test
    void parse_windows_readAsRetention_offWhenAbsent() throws Exception {
        assertThat(parse("workers: 1\nwindows: {day: 35, month: 13}\n").windows())
                .isEqualTo(new countapp.model.Retention(35, 13));
        assertThat(parse("workers: 1\nwindows:\n  month: 2\n").windows()).isEqualTo(new countapp.model.Retention(0, 2));
        assertThat(parse("workers: 1\n").windows().enabled()).isFalse();
    }

    @Test
    void parse_badWindows_refusedNamingTheKey() {
        assertThat(problems("workers: 1\nwindows: {day: -1, month: 13}\n")).contains("windows.day");
        assertThat(problems("workers: 1\nwindows: {day: 35, month: 500}\n")).contains("windows.month");
        assertThat(problems("workers: 1\nwindows: 35\n")).contains("windows: must be a mapping");
        assertThat(problems("workers: 1\nwindows: {dayz: 3}\n")).contains("did you mean day?");
    }

    @Test
    void parse_fileWithAllKeys_readsEveryValue() throws Exception {
        Config c = parse(FULL);

        assertThat(urls(c)).containsExactly("http://localhost:6001", "http://localhost:6002",
                "http://127.0.0.1:6003", "http://localhost:6004");
        assertThat(c.workers()).allSatisfy(w -> assertThat(w.local()).isTrue());
        assertThat(c.workers().get(2).host()).isEqualTo("127.0.0.1");
        assertThat(c.workers().get(2).port()).isEqualTo(6003);
        assertThat(c.database()).isEqualTo(dir.resolve("data/db"));
        assertThat(c.workerLogs()).isEqualTo(dir.resolve("var/logs"));
        assertThat(c.workerPersist()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.configCheck()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 6000));
        assertThat(c.healthCheck()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.partitions()).isEqualTo(64);
        assertThat(c.source()).isEqualTo(source());
    }

    @Test
    void load_repositoryConfigFile_isValid() throws Exception {
        Path shipped = Path.of("config.yaml");

        Config c = ConfigLoader.load(shipped);

        assertThat(c.workers()).isNotEmpty().allSatisfy(w -> assertThat(w.local()).isTrue());
        assertThat(c.database()).isEqualTo(shipped.toAbsolutePath().normalize().getParent().resolve("db"));
        assertThat(c.source()).isEqualTo(shipped.toAbsolutePath().normalize());
    }

    @Test
    void parse_optionalKeysAbsent_usesDefaults() throws Exception {
        Config c = parse("workers: [http://localhost:5001]\n");

        assertThat(c.listen()).isEqualTo(Listen.DEFAULT);
        assertThat(c.healthCheck()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.failoverTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.partitions()).isEqualTo(16);
        assertThat(c.workerPersist()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.configCheck()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.database()).isEqualTo(dir.resolve("db"));
        assertThat(c.workerLogs()).isEqualTo(dir.resolve("logs"));
    }

    @Test
    void parse_workersAsNumber_givesLocalWorkersFromPort5001() throws Exception {
        Config c = parse("workers: 3\n");

        assertThat(urls(c)).containsExactly("http://localhost:5001", "http://localhost:5002", "http://localhost:5003");
        assertThat(c.workers()).allSatisfy(w -> {
            assertThat(w.local()).isTrue();
            assertThat(w.host()).isEqualTo("localhost");
        });
        assertThat(c.workers()).extracting(WorkerEndpoint::port).containsExactly(5001, 5002, 5003);
    }

    @Test
    void parse_relativePaths_resolveAgainstConfigFolder() throws Exception {
        Config c = parse("workers: 1\ndatabase: ./store/../db2\nworker_logs: ../elsewhere/logs\n");

        assertThat(c.database()).isEqualTo(dir.resolve("db2"));
        assertThat(c.workerLogs()).isEqualTo(dir.getParent().resolve("elsewhere/logs"));
    }

    @Test
    void parse_absolutePaths_keptAsGiven() throws Exception {
        Path absolute = dir.resolve("abs/db").toAbsolutePath();

        Config c = parse("workers: 1\ndatabase: " + absolute + "\n");

        assertThat(c.database()).isEqualTo(absolute);
    }

    @Test
    void parse_remoteHost_isNotLocal() throws Exception {
        Config c = parse("workers:\n  - http://localhost:5001\n  - http://worker7.example.com:5001\n  - http://[::1]:5009\n"
                + "cluster_secret: shared-secret-of-the-cluster\ndatabase: redis://10.0.0.5:6379\n");

        assertThat(c.workers().get(0).local()).isTrue();
        assertThat(c.workers().get(1).local()).isFalse();
        assertThat(c.workers().get(1).host()).isEqualTo("worker7.example.com");
        assertThat(c.workers().get(2).local()).isTrue();
        assertThat(c.workers().get(2).host()).isEqualTo("::1");
    }

    @Test
    void parse_urlWithUpperCaseHostAndSlash_normalised() throws Exception {
        Config c = parse("workers: [\"HTTP://LocalHost:5001/\"]\n");

        assertThat(urls(c)).containsExactly("http://localhost:5001");
    }

    @Test
    void parse_sameLocalPortUnderTwoNames_rejected() {
        String message = problems("workers:\n  - http://localhost:5001\n  - http://127.0.0.1:5001\n");

        assertThat(message).contains("workers[1]: the same local port as workers[0]");
    }

    @Test
    void parse_workerPersistZero_meansSyncEveryWrite() throws Exception {
        assertThat(parse("workers: 1\nworker_persist: 0\n").workerPersist()).isEqualTo(Duration.ZERO);
    }

    // --- errors -------------------------------------------------------------------------------------

    @Test
    void parse_unknownKey_rejectedNamingIt() {
        assertThat(problems("workers: 1\ndatabse: db/\n")).contains("unknown key \"databse\"");
    }

    @Test
    void parse_missingWorkers_rejected() {
        assertThat(problems("database: db/\n")).contains("workers: missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://localhost:5001", "localhost:5001", "http://localhost", "http://localhost:0",
        "http://localhost:70000", "http://localhost:5001/path", "http://:5001", "not a url", "http://local host:1"})
    void parse_badWorkerUrl_rejectedByPositionWithoutQuotingIt(String url) {
        String message = problems("workers:\n  - http://localhost:6001\n  - \"" + url + "\"\n");

        assertThat(message).contains("workers[1]: must be an http:// URL");
        assertThat(message.replace("http://localhost:5001", "")).doesNotContain(url);
    }

    @Test
    void parse_workerNotAString_rejectedNamingItsType() {
        assertThat(problems("workers:\n  - 5001\n")).contains("workers[0]: must be a URL string, got a whole number")
                .doesNotContain("5001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:5001", "http://LOCALHOST:5001/"})
    void parse_duplicateWorker_rejected(String second) {
        assertThat(problems("workers:\n  - http://localhost:5001\n  - \"" + second + "\"\n"))
                .contains("workers[1]: the same worker as workers[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"workers: 0", "workers: -2", "workers: 1001", "workers: []", "workers: {a: 1}",
        "workers: \"3\"", "workers: 2.5"})
    void parse_workersOutOfRangeOrWrongType_rejected(String line) {
        assertThat(problems(line + "\n")).contains("workers:");
    }

    @Test
    void parse_negativeWorkerPersist_rejected() {
        assertThat(problems("workers: 1\nworker_persist: -1\n")).contains("worker_persist").contains("out of range");
    }

    @Test
    void parse_zeroConfigCheck_rejected() {
        assertThat(problems("workers: 1\nconfig_check: 0\n")).contains("config_check").contains("out of range");
    }

    @Test
    void parse_failoverTimeout_readAsSecondsAndZeroRejected() throws Exception {
        assertThat(parse("workers: 1\nfailover_timeout: 2.5\n").failoverTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(problems("workers: 1\nfailover_timeout: 0\n")).contains("failover_timeout").contains("out of range");
    }

    @Test
    void parse_zeroHealthCheck_rejected() {
        assertThat(problems("workers: 1\nhealth_check: 0\n")).contains("health_check");
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker_persist: five", "config_check: \"5\"", "health_check: [1]", "listen: abc",
        "partitions: 1.5", "worker_persist: .nan", "listen: true"})
    void parse_nonNumber_rejected(String line) {
        String key = line.substring(0, line.indexOf(':'));

        assertThat(problems("workers: 1\n" + line + "\n")).contains(key + ":");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listen: 0", "listen: 65536", "partitions: 0", "partitions: 4097", "worker_persist: 86401"})
    void parse_numberOutOfRange_rejected(String line) {
        String key = line.substring(0, line.indexOf(':'));

        assertThat(problems("workers: 1\n" + line + "\n")).contains(key + ":");
    }

    @ParameterizedTest
    @ValueSource(strings = {"database: \"\"", "database: 5", "worker_logs: [a]"})
    void parse_badFolder_rejected(String line) {
        String key = line.substring(0, line.indexOf(':'));

        assertThat(problems("workers: 1\n" + line + "\n")).contains(key + ":");
    }

    @Test
    void parse_localWorkerOnListenPort_rejected() {
        assertThat(problems("workers: [http://localhost:5002]\nlisten: 5002\n")).contains("workers[0]: a local worker on the coordinator's listen port");
        assertThat(problems("workers: [http://localhost:6001, http://localhost:6002]\nlisten: 6002\n"))
                .contains("workers[1]: a local worker on the coordinator's listen port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"workers: [http://localhost:5001", "workers:\n\t- x\n", "a: b: c", "workers: 1\n  bad: indent\n x"})
    void parse_invalidYaml_rejected(String text) {
        assertThat(problems(text)).contains("not valid YAML");
    }

    @ParameterizedTest
    @ValueSource(strings = {"- http://localhost:5001\n- http://localhost:5002\n", "just a string", "42", "", "# only a comment\n"})
    void parse_nonMappingDocument_rejected(String text) {
        assertThat(problems(text)).contains("must be a YAML mapping");
    }

    @Test
    void parse_severalProblems_allReportedInOneMessage() {
        String message = problems("""
                workers:
                  - http://localhost:5001
                  - http://localhost:5001
                  - ftp://x:1
                worker_persist: -3
                config_check: 0
                listen: abc
                colour: blue
                """);

        assertThat(message)
                .contains("line 8: unknown key (known keys: [allow_open, auth, cluster_secret, config_check,")
                .contains("workers[1]: the same worker as workers[0]")
                .contains("workers[2]: must be an http:// URL")
                .contains("worker_persist")
                .contains("config_check")
                .contains("listen");
        assertThat(message.lines().filter(l -> l.startsWith("  - ")).count()).isEqualTo(6);
    }

    @Test
    void load_missingFile_throwsNamingPath() {
        Path missing = dir.resolve("nope/config.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(missing.toAbsolutePath().toString()).contains("does not exist");
    }

    @Test
    void load_existingFile_resolvesPathsAgainstItsFolder() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(sub.resolve("countapp.yaml"), "workers: 2\ndatabase: data\n");

        Config c = ConfigLoader.load(file);

        assertThat(c.database()).isEqualTo(sub.resolve("data"));
        assertThat(c.source()).isEqualTo(file.toAbsolutePath());
        assertThat(c.workers()).hasSize(2);
    }

    @Test
    void load_invalidFile_reportsProblemsNamingFile() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "workers: 0\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(file.toString()).contains("workers:");
    }

    @Test
    void parse_limits_readEveryLimitAndDefaultTheRest() throws Exception {
        Config c = parse("workers: 1\nlimits:\n  max_body_bytes: 1000\n  max_items: 7\n  request_timeout: 2.5\n");

        assertThat(c.limits().maxBodyBytes()).isEqualTo(1000);
        assertThat(c.limits().maxItems()).isEqualTo(7);
        assertThat(c.limits().requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.limits().maxValueBytes()).isEqualTo(countapp.model.Limits.DEFAULT.maxValueBytes());
        assertThat(c.limits().maxConnections()).isEqualTo(countapp.model.Limits.DEFAULT.maxConnections());
    }

    @Test
    void parse_badLimits_namedWithTheirSection() {
        String message = problems("workers: 1\nlimits:\n  max_items: 0\n  max_bodies: 3\n");

        assertThat(message).contains("limits.max_items: out of range")
                .contains("line 4: limits: unknown key (known keys: [max_body_bytes,");
    }

    @Test
    void parse_authKeysPlainAndHashed_authenticateAndScope() throws Exception {
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("acme-secret-key".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Config c = parse("workers: 1\nauth:\n  keys:\n    - key: admin-secret-key\n      tenants: [\"*\"]\n"
                + "    - key_sha256: " + digest + "\n      tenants: [acme]\n");

        Auth.Key admin = c.auth().authenticate("Bearer admin-secret-key");
        Auth.Key acme = c.auth().authenticate("bearer acme-secret-key");
        Auth.authorize(admin, "anyone");
        Auth.authorize(acme, "acme");
        assertThat(catchThrowableOfType(countapp.api.ApiException.class, () -> Auth.authorize(acme, "globex")).status())
                .isEqualTo(403);
        assertThat(catchThrowableOfType(countapp.api.ApiException.class, () -> c.auth().authenticate("Bearer nope")).status())
                .isEqualTo(401);
        assertThat(catchThrowableOfType(countapp.api.ApiException.class, () -> c.auth().authenticate(null)).status())
                .isEqualTo(401);
        assertThat(c.toString()).doesNotContain("admin-secret-key").doesNotContain(digest);
    }

    @Test
    void parse_authOffByDefault() throws Exception {
        assertThat(parse("workers: 1\n").auth().enabled()).isFalse();
    }

    @Test
    void parse_badAuthEntries_allReported() {
        String message = problems("workers: 1\nauth:\n  keys:\n    - key: short\n      tenants: [a]\n"
                + "    - key: long-enough-key\n      key_sha256: abcd\n      tenants: [a]\n"
                + "    - key: another-long-key\n      tenants: []\n");

        assertThat(message).contains("auth.keys[0]: key must be a string of at least 8 characters")
                .contains("auth.keys[1]: give exactly one of key and key_sha256")
                .contains("auth.keys[2]: tenants must be a non-empty list");
    }

    @Test
    void parse_remoteWorkerWithoutClusterSecret_rejected() {
        assertThat(problems("workers: [\"http://10.1.2.3:5001\"]\ndatabase: redis://10.0.0.5:6379\n"))
                .contains("cluster_secret: required");
    }

    @Test
    void parse_clusterSecret_keptButNeverPrinted() throws Exception {
        Config c = parse("workers: [\"http://10.1.2.3:5001\"]\ncluster_secret: s3cr3t-s3cr3t-s3cr3t\n"
                + "database: redis://10.0.0.5:6379\n");

        assertThat(c.clusterSecret().matches("s3cr3t-s3cr3t-s3cr3t")).isTrue();
        assertThat(c.clusterSecret().matches("s3cr3t-s3cr3t-s3cr3T")).isFalse();
        assertThat(c.toString()).doesNotContain("s3cr3t");
        assertThat(problems("workers: 1\ncluster_secret: short\n")).contains("at least 16 characters")
                .doesNotContain("short\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"health_check: 0.0004", "config_check: 0.0009", "worker_persist: 0.0001",
        "limits:\n  request_timeout: 0.0004", "health_check: 1e-9"})
    void parse_subMillisecondDuration_refusedNamingTheKey(String line) {
        String key = line.startsWith("limits") ? "limits.request_timeout" : line.substring(0, line.indexOf(':'));

        assertThat(problems("workers: 1\n" + line + "\n")).contains(key + ": out of range").contains("0.001 (1 ms)");
    }

    @Test
    void parse_redisTimeoutBelowOneMillisecond_refused() {
        assertThat(problems("workers: 1\ndatabase: redis://a:1\nredis_timeout: 0.0002\n")).contains("redis_timeout: out of range");
    }

    @Test
    void parse_oneMillisecondDurations_accepted() throws Exception {
        Config c = parse("workers: 1\nhealth_check: 0.001\nconfig_check: 0.001\nworker_persist: 0.001\n"
                + "limits:\n  request_timeout: 0.001\n");

        assertThat(c.healthCheck()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.configCheck()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.workerPersist()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.limits().requestTimeout()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void parse_embeddedDatabaseWithRemoteWorker_refusedSuggestingRedis() {
        String message = problems("workers: [http://localhost:6001, http://10.0.0.7:6001]\ndatabase: db/\n"
                + "cluster_secret: 0123456789abcdef\n");

        assertThat(message).contains("workers[1]: a worker on another host needs a redis:// database")
                .contains("counts would drop and pairs count twice").contains("redis://host:port");
    }

    @Test
    void parse_embeddedDatabaseWithWorkerOnAnotherLoopbackAddress_accepted() throws Exception {
        Config c = parse("workers: [http://localhost:6001, http://127.0.0.2:6001]\ncluster_secret: 0123456789abcdef\n");

        assertThat(c.workers().get(1).local()).as("not spawned").isFalse();
        assertThat(c.database()).isEqualTo(dir.resolve("db"));
    }

    @Test
    void parse_keyGivenTwice_refusedNamingItsLine() {
        assertThat(problems("workers: 1\ndatabase: db/\ndatabase: db2/\n"))
                .contains("line 3, column 1 (key database): not valid YAML: a key given twice");
    }

    @Test
    void parse_invalidFolderPath_refusedWithoutThrowing() {
        assertThat(problems("workers: 1\ndatabase: \"db\\0x\"\n")).contains("database: not a valid folder path");
    }

    @Test
    void parse_selfReferencingValues_refusedWithoutThrowing() {
        assertThat(problems("workers: &w [*w]\nauth:\n  keys:\n    - key: long-enough-key\n      tenants: &t [*t]\n"))
                .contains("workers[0]: must be a URL string, got a list").contains("auth.keys[0]: tenants must be a list");
    }

    @Test
    void load_fileNotUtf8_refusedWithoutThrowing() throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'w', 'o', 'r', 'k', 'e', 'r', 's', ':', ' ', '1',
            '\n', '#', ' ', (byte) 0xE9, '\n'});

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.getMessage()).contains("is not UTF-8 text");
    }

    @Test
    void parse_workerBind_defaultsToLoopback() throws Exception {
        assertThat(parse("workers: 1\n").workerBind()).isEqualTo("127.0.0.1");
        assertThat(parse("workers: 1\nworker_bind: 0.0.0.0\nallow_open: true\n").workerBind()).isEqualTo("0.0.0.0");
    }
}
