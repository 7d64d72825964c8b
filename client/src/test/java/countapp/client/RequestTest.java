package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.client.StandIn.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client puts on the wire, against a stand-in server that records it. */
class RequestTest {
    @Test
    void paths_tenantAndIdWithSlashSpaceAndDots_sentAsSingleEncodedSegments() throws Exception {
        try (StandIn server = new StandIn(Answer.of(200, "{\"erased\":1}"))) {
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).build();

            client.erase("a/b c", "..");
            client.eraseTenant("ü+x");

            assertThat(server.received).extracting(StandIn.Received::method).containsExactly("DELETE", "DELETE");
            assertThat(server.received).extracting(StandIn.Received::rawPathAndQuery)
                    .containsExactly("/items/a%2Fb%20c/ids/%2E%2E", "/items/%C3%BC%2Bx");
        }
    }

    @Test
    void count_eachWindow_sentAsItsQuery() throws Exception {
        try (StandIn server = new StandIn(Answer.of(200, "{\"count\":3}"))) {
            CountAppClient client = CountAppClient.builder().baseUrl(server.url() + "/").build();

            client.count("acme");
            client.count("acme", Window.day(LocalDate.of(2026, 11, 28)));
            client.count("acme", Window.month(YearMonth.of(2026, 11)));
            client.count("acme", Window.days(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)));

            assertThat(server.received).extracting(StandIn.Received::rawPathAndQuery).containsExactly(
                    "/items/acme/count", "/items/acme/count?window=day&at=2026-11-28",
                    "/items/acme/count?window=month&at=2026-11", "/items/acme/count?from=2026-11-01&to=2026-11-07");
        }
    }

    @Test
    void add_itemsWithAndWithoutTs_encodedAsTheApisArray() throws Exception {
        try (StandIn server = new StandIn(Answer.of(200, "{\"received\":2,\"added\":1}"))) {
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).build();

            Added added = client.add(List.of(Item.of("acme", "u-\"1\""), Item.of("acme", "u-2",
                    Instant.parse("2026-11-28T10:00:00.123Z"))));

            assertThat(added).isEqualTo(new Added(2, 1));
            assertThat(server.received.get(0).body()).isEqualTo(
                    "[{\"id\":\"u-\\\"1\\\"\",\"tenant\":\"acme\"},{\"id\":\"u-2\",\"tenant\":\"acme\",\"ts\":1795860000123}]");
        }
    }

    @Test
    void keys_bearerAndBasic_sentAsAuthorization() throws Exception {
        try (StandIn server = new StandIn(Answer.of(200, "{\"status\":\"ok\",\"settled\":true}"))) {
            CountAppClient.builder().baseUrl(server.url()).build().health();
            CountAppClient.builder().baseUrl(server.url()).bearer("k-1").build().health();
            CountAppClient.builder().baseUrl(server.url()).basic("ops", "k-2").build().health();

            assertThat(server.received).extracting(StandIn.Received::authorization).containsExactly(null, "Bearer k-1",
                    "Basic " + Base64.getEncoder().encodeToString("ops:k-2".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void badArguments_refusedBeforeAnyRequest() throws Exception {
        try (StandIn server = new StandIn(Answer.of(200, "{\"erased\":1}"))) {
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).build();

            assertThatThrownBy(() -> client.erase("acme", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id must not be empty");
            assertThatThrownBy(() -> client.eraseTenant("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.export(Window.days(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a run of days");
            assertThatThrownBy(() -> Window.days(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CountAppClient.builder().baseUrl("localhost:5000"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CountAppClient.builder().bearer(" key")).isInstanceOf(IllegalArgumentException.class);
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void answer_notWhatTheApiPromises_typedUnexpected() throws Exception {
        try (StandIn server = new StandIn(Answer.of(200, "{\"count\":\"many\"}"))) {
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).build();

            assertThatThrownBy(() -> client.count("acme")).isInstanceOfSatisfying(CountAppException.class, e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).contains("GET /items/acme/count", "\"count\" is not a count");
            });
        }
    }
    @Test
    void retryAfter_secondsDateOrGarbage_readAsAWaitOrIgnored() {
        java.util.function.Function<String, java.util.Optional<java.time.Duration>> read = value -> Transport.retryAfter(
                java.net.http.HttpHeaders.of(java.util.Map.of("Retry-After", List.of(value)), (k, v) -> true));
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));

        assertThat(read.apply("1")).contains(java.time.Duration.ofSeconds(1));
        assertThat(read.apply(inAMinute).orElseThrow()).isBetween(java.time.Duration.ofSeconds(50),
                java.time.Duration.ofSeconds(61));
        assertThat(read.apply("Wed, 21 Oct 2015 07:28:00 GMT")).contains(java.time.Duration.ZERO); // past: no wait
        assertThat(read.apply("soon")).isEmpty();
    }
}
