package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {
    @ParameterizedTest
    @CsvSource({
        "/, ROOT",
        "/items, ITEMS",
        "/items/acme/count, COUNT",
        "/items/a/b/count, COUNT",
        "/items/acme/ids, IDS",
        "/status, STATUS",
        "/metrics, METRICS",
        "/dashboard, DASHBOARD",
        "/partitions, PARTITIONS",
        "/kill, KILL",
        "/items/acme, TENANT",
        "/items/a/b, TENANT",
        "/items/acme/ids/u-1, PAIR",
        "/items/a/ids/b/ids/u-1, PAIR",
        "/items/, TENANT",
        "/counts, COUNTS",
        "/openapi.json, OPENAPI",
        "/favicon.ico, OTHER"})
    void of_path_mapsToItsTemplateNeverToTheTenant(String path, Endpoint expected) {
        assertThat(Endpoint.of(path)).isEqualTo(expected);
    }
}
