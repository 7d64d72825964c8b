package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import countapp.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Ops keys: a key may be scoped to the ops endpoints, which also take it as the password of HTTP Basic. */
class AuthTest {
    private static final String CONFIG = "workers: 1\nauth:\n  keys:\n"
            + "    - key: ops-key-0123456789\n      ops: true\n"
            + "    - key: acme-key-0123456789\n      tenants: [acme]\n"
            + "    - key: both-key-0123456789\n      tenants: [\"*\"]\n      ops: true\n";

    private static Auth auth() throws ConfigException {
        return ConfigLoader.parse(CONFIG, Path.of("/etc/countapp/config.yaml")).auth();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Runnable call) {
        ApiException e = catchThrowableOfType(ApiException.class, call::run);
        return e == null ? 200 : e.status();
    }

    @Test
    void authenticateOps_opsKeyAsBearerOrAsBasicPassword_accepted() throws Exception {
        Auth auth = auth();

        assertThat(auth.authenticateOps("Bearer ops-key-0123456789").ops()).isTrue();
        assertThat(auth.authenticateOps(basic("anyone", "ops-key-0123456789")).ops()).isTrue();
        assertThat(auth.authenticateOps(basic("", "both-key-0123456789")).ops()).isTrue();
    }

    @Test
    void authenticateOps_missingMalformedOrUnknown_401() throws Exception {
        Auth auth = auth();

        assertThat(status(() -> auth.authenticateOps(null))).isEqualTo(401);
        assertThat(status(() -> auth.authenticateOps("Basic !!not-base64!!"))).isEqualTo(401);
        assertThat(status(() -> auth.authenticateOps("Basic " + Base64.getEncoder().encodeToString(
                "no-colon".getBytes(StandardCharsets.UTF_8))))).isEqualTo(401);
        assertThat(status(() -> auth.authenticateOps(basic("u", "wrong-key-0123456789")))).isEqualTo(401);
    }

    @Test
    void authenticateOps_keyWithoutOps_403() throws Exception {
        Auth auth = auth();

        assertThat(status(() -> auth.authenticateOps("Bearer acme-key-0123456789"))).isEqualTo(403);
    }

    @Test
    void authenticate_opsOnlyKeyOnATenant_403AndBasicNotAcceptedOnTenantEndpoints() throws Exception {
        Auth auth = auth();

        assertThat(status(() -> Auth.authorize(auth.authenticate("Bearer ops-key-0123456789"), "acme"))).isEqualTo(403);
        assertThat(status(() -> auth.authenticate(basic("u", "acme-key-0123456789")))).isEqualTo(401);
        assertThat(status(() -> Auth.authorize(auth.authenticate("Bearer acme-key-0123456789"), "acme"))).isEqualTo(200);
    }

    @Test
    void parse_keyWithNeitherTenantsNorOps_refused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(
                "workers: 1\nauth:\n  keys:\n    - key: lonely-key-0123\n", Path.of("/etc/countapp/config.yaml")));

        assertThat(e.getMessage()).contains("auth.keys[0]: give tenants").contains("and/or ops: true");
    }

    @Test
    void parse_bareAuth_refusedNotAuthOff() {
        for (String text : new String[] {"workers: 1\nauth:\n", "workers: 1\nauth:\n#  keys:\n#    - key: x\n",
            "workers: 1\nauth: {}\n", "workers: 1\nauth:\n  keys: []\n", "workers: 1\nauth:\n  keys:\n"}) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.parse(text, Path.of("/etc/countapp/config.yaml")));

            assertThat(e).as(text).isNotNull();
            assertThat(e.getMessage()).as(text).contains("has no keys; to turn authentication off, remove the auth key entirely");
        }
    }
}
