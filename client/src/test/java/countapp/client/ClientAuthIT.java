package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** API keys against a real coordinator with auth on: Bearer and Basic, and the 401 and 403 answers, typed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientAuthIT {
    private static final String ACME_KEY = "acme-key-0123456789";
    private static final String OPS_KEY = "ops-key-0123456789";

    private LiveCluster cluster;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = LiveCluster.start(dir, 1, "auth:\n  keys:\n"
                + "    - key: " + ACME_KEY + "\n      tenants: [\"acme\"]\n"
                + "    - key: " + OPS_KEY + "\n      ops: true\n");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void assertStatus(ThrowingCallable call, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CountAppException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.error()).isNotBlank();
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.attempts()).isEqualTo(1);
        });
    }

    @Test
    void bearerTenantKey_itsTenantServedOtherTenantsForbidden() {
        CountAppClient acme = cluster.client().retry(RetryPolicy.defaults()).bearer(ACME_KEY).build();

        assertThat(acme.add(List.of(Item.of("acme", "u-1"), Item.of("acme", "u-2")))).isEqualTo(new Added(2, 2));
        assertThat(acme.count("acme")).isEqualTo(2);
        try (Stream<Item> ids = acme.ids("acme")) {
            assertThat(ids.map(Item::id).collect(Collectors.toList())).containsExactly("u-1", "u-2");
        }
        assertThatThrownBy(() -> acme.add(List.of(Item.of("acme", "u-3"), Item.of("globex", "u-1"))))
                .isInstanceOfSatisfying(CountAppException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.error()).contains("globex");
                });
        assertThat(acme.count("acme")).isEqualTo(2); // the refused batch stored nothing
        assertStatus(() -> acme.count("globex"), 403);
        assertStatus(acme::status, 403); // no ops: true
        assertStatus(acme::export, 403);
    }

    @Test
    void noKeyOrUnknownKey_unauthorized_healthStillPublic() {
        CountAppClient anonymous = cluster.client().build();
        CountAppClient unknown = cluster.client().bearer("not-a-key-of-this-cluster").build();

        assertStatus(() -> anonymous.count("acme"), 401);
        assertStatus(() -> anonymous.add(List.of(Item.of("acme", "x"))), 401);
        assertStatus(anonymous::status, 401);
        assertStatus(() -> unknown.erase("acme", "u-1"), 401);
        assertThat(anonymous.health().settled()).isTrue();
    }

    @Test
    void basicOpsKey_statusAndExportServed_tenantEndpointsRefuseBasic() {
        CountAppClient bearer = cluster.client().bearer(OPS_KEY).build();
        CountAppClient basic = cluster.client().basic("billing", OPS_KEY).build();

        assertThat(basic.status().workers()).hasSize(1);
        assertThat(bearer.status().settled()).isTrue();
        try (Stream<TenantCount> export = basic.export()) {
            assertThat(export.count()).isGreaterThanOrEqualTo(0);
        }
        // Basic is accepted on the ops endpoints only: browsers attach cached Basic credentials to requests
        // other sites make them send, and those must never add items.
        assertStatus(() -> basic.add(List.of(Item.of("acme", "u-9"))), 401);
        assertStatus(() -> bearer.count("acme"), 403); // an ops key without tenants
    }
}
