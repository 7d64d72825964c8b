package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22: {@code listen: [address:]port} binds loopback unless told otherwise, and an open API (auth off)
 * on an address other machines reach needs {@code allow_open: true}, at start and on every reload.
 */
class BindConfigTest {
    private static final String KEYS = "auth:\n  keys:\n    - key: admin-key-0123456789\n      tenants: [\"*\"]\n      ops: true\n";

    @TempDir
    Path dir;

    private Config parse(String text) throws ConfigException {
        return ConfigText.parse(dir, text);
    }

    private String problems(String text) {
        return ConfigText.problems(dir, text);
    }

    @Test
    void issue22_shippedConfig_loopbackOnly() throws Exception {
        Config c = ConfigLoader.load(Path.of("config.yaml"));

        assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 5000));
        assertThat(c.workers()).extracting(WorkerEndpoint::port).containsExactly(5001, 5002, 5003, 5004);
    }

    @Test
    void issue22_noListen_loopbackPort5000() throws Exception {
        Config c = parse("workers: 1\n");

        assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 5000));
        assertThat(c.listen().loopback()).isTrue();
        assertThat(c.allowOpen()).isFalse();
    }

    @Test
    void parse_listenPortOnly_bindsLoopback() throws Exception {
        assertThat(parse("workers: 1\nlisten: 6000\n").listen()).isEqualTo(new Listen("127.0.0.1", 6000));
        assertThat(parse("workers: 1\nlisten: \"6000\"\n").listen()).isEqualTo(new Listen("127.0.0.1", 6000));
    }

    @Test
    void parse_listenAddressAndPort_bindsThatAddress() throws Exception {
        assertThat(parse("workers: 1\nlisten: localhost:6000\n").listen()).isEqualTo(new Listen("127.0.0.1", 6000));
        assertThat(parse("workers: 1\nlisten: 127.0.0.2:6000\n").listen()).isEqualTo(new Listen("127.0.0.2", 6000));
        Listen v6 = parse("workers: 1\nlisten: \"[::1]:6000\"\n").listen();
        assertThat(v6.loopback()).isTrue();
        assertThat(v6.toString()).isEqualTo("[0:0:0:0:0:0:0:1]:6000");
        assertThat(v6.localUrl()).isEqualTo("http://[0:0:0:0:0:0:0:1]:6000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listen: example.com:5000", "listen: 10.0.0.300:5000", "listen: \"0.0.0.0:\"", "listen: :5000x",
        "listen: \"::1:5000\"", "listen: 127.0.0.1:70000", "listen: [1, 2]", "listen: true", "listen: 0"})
    void parse_badListen_rejectedNamingTheForms(String line) {
        assertThat(problems("workers: 1\n" + line + "\n")).contains("listen: ");
    }

    @Test
    void parse_listenHostName_rejectedAsNotResolved() {
        assertThat(problems("workers: 1\nlisten: example.com:5000\n"))
                .contains("listen: the address must be an IP address or localhost (a host name is not resolved)")
                .doesNotContain("example.com");
    }

    @Test
    void issue22_openBindWithAuthOff_refusedWithClearMessage() {
        String message = problems("workers: 1\nlisten: 0.0.0.0:5000\n");

        assertThat(message).contains("listen: the API on an address other machines can reach with auth off would "
                + "let anyone on the network add and erase data. Turn auth on (auth: keys), listen on loopback "
                + "(listen: 127.0.0.1:5000), or set allow_open: true to serve an open API on purpose");
    }

    @Test
    void issue22_openBindWithAllowOpen_accepted() throws Exception {
        Config c = parse("workers: 1\nlisten: 0.0.0.0:5000\nallow_open: true\n");

        assertThat(c.listen().everyInterface()).isTrue();
        assertThat(c.listen().localUrl()).isEqualTo("http://127.0.0.1:5000");
        assertThat(c.apiOpen()).isTrue();
    }

    @Test
    void issue22_openBindWithAuthOn_accepted() throws Exception {
        Config c = parse("workers: 1\nlisten: 0.0.0.0:5000\n" + KEYS);

        assertThat(c.apiOpen()).isFalse();
    }

    @Test
    void issue22_workerBindOnTheNetworkWithAuthOff_refusedUnlessAllowed() throws Exception {
        assertThat(problems("workers: 1\nworker_bind: 0.0.0.0\n")).contains("worker_bind: spawned workers on an "
                + "address other machines can reach with auth off");
        assertThat(problems("workers: 1\nworker_bind: db-host\n")).contains("worker_bind: spawned workers");
        assertThat(parse("workers: 1\nworker_bind: 0.0.0.0\nallow_open: true\n").workerBind()).isEqualTo("0.0.0.0");
        assertThat(parse("workers: 1\nworker_bind: localhost\n").workerBind()).isEqualTo("localhost");
    }

    @Test
    void parse_allowOpenNotBoolean_rejected() {
        assertThat(problems("workers: 1\nallow_open: yes please\n")).contains("allow_open: must be true or false, got a string");
    }

    @Test
    void issue22_numberOfWorkers_takeThePortsAfterListen() throws Exception {
        assertThat(parse("workers: 2\nlisten: 7000\n").workers()).extracting(WorkerEndpoint::url)
                .containsExactly("http://localhost:7001", "http://localhost:7002");
        assertThat(parse("workers: 2\n").workers()).extracting(WorkerEndpoint::port).containsExactly(5001, 5002);
        assertThat(problems("workers: 3\nlisten: 65534\n")).contains("workers: N local workers take the ports after listen's");
    }

    @Test
    void issue22_reloadOpeningTheBind_pendingRestartAndStillLoopback() throws Exception {
        Config inForce = ConfigText.startThenEdit(dir, "workers: 2\n", "workers: 2\nlisten: 0.0.0.0:6000\nallow_open: true\n");

        ConfigLoader.Loaded r = ConfigLoader.reload(inForce);

        assertThat(r.config().listen()).isEqualTo(Listen.DEFAULT);
        assertThat(r.config().allowOpen()).isFalse();
        assertThat(r.pendingRestart()).containsExactly("listen", "allow_open");
        assertThat(r.config().workers()).as("local workers keep the ports of the listen in force")
                .extracting(WorkerEndpoint::port).containsExactly(5001, 5002);
    }

    @Test
    void issue22_reloadWorkerBindOnTheNetworkWithAuthOff_refused() throws Exception {
        // allow_open is read only at start: adding it with the wider bind does not let the reload through.
        Config inForce = ConfigText.startThenEdit(dir, "workers: 2\n", "workers: 2\nworker_bind: 0.0.0.0\nallow_open: true\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.reload(inForce));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("worker_bind: spawned workers on an address other machines can reach");
    }
}
