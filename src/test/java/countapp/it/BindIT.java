package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: a fresh config listens on loopback only (the API and the spawned workers); another address of
 * the machine is refused. An open API on the network with auth off is refused at start unless
 * {@code allow_open: true}, and then {@code /status} says so.
 */
class BindIT {
    @TempDir
    Path dir;

    @Test
    void issue22_freshConfig_listensOnLoopbackOnly() throws Exception {
        try (Cluster c = Cluster.start(dir, 2, "")) {
            assertThat(connects("127.0.0.1", c.port)).as("the bound loopback address").isTrue();
            for (InetAddress other : otherAddresses()) {
                assertThat(connects(other.getHostAddress(), c.port)).as("the API on %s", other).isFalse();
                for (int worker : c.workerPorts) {
                    assertThat(connects(other.getHostAddress(), worker)).as("worker %d on %s", worker, other).isFalse();
                }
            }
            String status = c.get("/status").body();
            assertThat(status).contains("\"address\":\"127.0.0.1\"", "\"loopback_only\":true", "\"api_open\":true",
                    "\"listen\":\"127.0.0.1:" + c.port + "\"", "\"allow_open\":false");
        }
    }

    @Test
    void issue22_openBindWithAuthOff_refusedAtStartWithClearMessage() throws Exception {
        int port = Cluster.freePorts(1).get(0);
        Files.writeString(dir.resolve("config.yaml"), "workers: 1\nlisten: 0.0.0.0:" + port + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", Path.of(Cluster.JAR).toAbsolutePath().toString(), "coordinator",
                "--config", dir.resolve("config.yaml").toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("listen: the API on an address other machines can reach with auth off would let "
                + "anyone on the network add and erase data", "set allow_open: true to serve an open API on purpose");
        assertThat(connects("127.0.0.1", port)).as("nothing listens").isFalse();
        assertThat(dir.resolve("logs")).as("no worker was spawned").doesNotExist();
    }

    @Test
    void issue22_everyInterfaceWithAllowOpen_servesAndSaysItIsOpen() throws Exception {
        try (Cluster c = Cluster.start(dir, 1, "listen: 0.0.0.0:${port}\nallow_open: true\n")) {
            int port = c.port;
            for (InetAddress other : otherAddresses()) {
                assertThat(connects(other.getHostAddress(), port)).as("the API on %s", other).isTrue();
            }
            String status = Cluster.get(port, "/status").body();
            assertThat(status).contains("\"address\":\"0.0.0.0\"", "\"loopback_only\":false", "\"api_open\":true",
                    "\"allow_open\":true");
            assertThat(c.log()).contains("listens    0.0.0.0:" + port + " (reachable from the network, auth off: no key needed)");
        }
    }

    /**
     * Addresses of this machine other than the bound 127.0.0.1: 127.0.0.2 (loopback, but not bound), and every
     * non-loopback IPv4 address of its interfaces.
     */
    private static List<InetAddress> otherAddresses() throws SocketException, IOException {
        List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.2")));
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        addresses.add(a);
                    }
                }
            }
        }
        return addresses;
    }

    private static boolean connects(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
