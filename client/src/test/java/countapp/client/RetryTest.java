package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.client.StandIn.Answer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The retry rule, on a fake clock with pinned jitter, against a stand-in server. */
class RetryTest {
    private static final String ADDED = "{\"received\":1,\"added\":1}";
    private final FakeTime time = new FakeTime();

    private CountAppClient client(String url, RetryPolicy policy, boolean highJitter, List<Integer> retries) {
        return CountAppClient.builder().baseUrl(url).retry(policy).time(time).random(FakeTime.pinned(highJitter))
                .onRetry((attempt, failure, delay) -> retries.add(attempt)).build();
    }

    @Test
    void add_503With502And504_resentSameBatchWithDoublingBackoffAtTopOfJitter() throws Exception {
        try (StandIn server = new StandIn(Answer.of(503, "{\"error\":\"busy\"}"), Answer.of(502, "<html>bad gateway</html>"),
                Answer.of(504, ""), Answer.of(503, "{\"error\":\"no worker\"}"), Answer.of(200, ADDED))) {
            List<Integer> retries = new ArrayList<>();
            Added added = client(server.url(), RetryPolicy.defaults(), true, retries).add(List.of(Item.of("acme", "u-1")));

            assertThat(added).isEqualTo(new Added(1, 1));
            assertThat(server.received).hasSize(5).extracting(StandIn.Received::body).containsOnly(
                    "[{\"id\":\"u-1\",\"tenant\":\"acme\"}]");
            assertThat(time.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                    Duration.ofMillis(800));
            assertThat(retries).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void backoff_lowestJitter_halfOfEachCap() throws Exception {
        try (StandIn server = new StandIn(Answer.of(503, "{}"), Answer.of(503, "{}"), Answer.of(200, "{\"count\":7}"))) {
            long count = client(server.url(), RetryPolicy.defaults(), false, new ArrayList<>()).count("acme");

            assertThat(count).isEqualTo(7);
            assertThat(time.sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
        }
    }

    @Test
    void backoff_manyRetries_cappedAtMaxBackoffWithoutOverflow() {
        RetryPolicy policy = RetryPolicy.of(Duration.ofHours(1), Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThat(policy.backoff(7, FakeTime.pinned(true))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(10_000, FakeTime.pinned(true))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(10_000, FakeTime.pinned(false)).toMillis()).isEqualTo(2500);
    }

    @Test
    void retryAfter_longerThanBackoff_waitedInstead() throws Exception {
        try (StandIn server = new StandIn(new Answer(503, "{\"error\":\"the server is serving its limit\"}", "2", 0),
                Answer.of(200, ADDED))) {
            client(server.url(), RetryPolicy.defaults(), true, new ArrayList<>()).add(List.of(Item.of("acme", "u-1")));

            assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2));
        }
    }

    @Test
    void retryAfter_pastTheBudget_givenUpAtOnceWithTheServersAnswer() throws Exception {
        try (StandIn server = new StandIn(new Answer(503, "{\"error\":\"busy\"}", "120", 0), Answer.of(200, ADDED))) {
            CountAppClient client = client(server.url(), RetryPolicy.of(Duration.ofSeconds(10), Duration.ofMillis(100),
                    Duration.ofSeconds(1)), true, new ArrayList<>());

            assertThatThrownBy(() -> client.add(List.of(Item.of("acme", "u-1")))).isInstanceOfSatisfying(
                    CountAppException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.error()).isEqualTo("busy");
                        assertThat(e.retryAfter()).contains(Duration.ofMinutes(2));
                        assertThat(e.attempts()).isEqualTo(1);
                    });
            assertThat(server.received).hasSize(1);
            assertThat(time.sleeps).isEmpty();
        }
    }

    @Test
    void budget_spentOnRetryable503s_lastFailureThrownWithItsAttempts() throws Exception {
        try (StandIn server = new StandIn(Answer.of(503, "{\"error\":\"no worker could serve the request\"}"))) {
            CountAppClient client = client(server.url(), RetryPolicy.of(Duration.ofSeconds(1), Duration.ofMillis(100),
                    Duration.ofSeconds(5)), true, new ArrayList<>());

            assertThatThrownBy(() -> client.count("acme")).isInstanceOfSatisfying(CountAppException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.error()).isEqualTo("no worker could serve the request");
                assertThat(e.attempts()).isEqualTo(4); // waits 100+200+400 ms; the next, 800 ms, would pass 1 s
                assertThat(e.getMessage()).contains("gave up after 4 attempts");
            });
            assertThat(server.received).hasSize(4);
            assertThat(time.sleeps.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(700);
        }
    }

    @Test
    void clientErrorsAnd500And507_neverRetried() throws Exception {
        for (int status : new int[] {400, 401, 403, 404, 408, 413, 421, 429, 431, 500, 501, 507}) {
            try (StandIn server = new StandIn(Answer.of(status, "{\"error\":\"refused " + status + "\",\"index\":0}"),
                    Answer.of(200, ADDED))) {
                CountAppClient client = client(server.url(), RetryPolicy.defaults(), true, new ArrayList<>());

                assertThatThrownBy(() -> client.add(List.of(Item.of("acme", "u-1")))).isInstanceOfSatisfying(
                        CountAppException.class, e -> {
                            assertThat(e.status()).isEqualTo(status);
                            assertThat(e.error()).isEqualTo("refused " + status);
                            assertThat(e.body()).contains("\"index\":0");
                            assertThat(e.isRetryable()).isFalse();
                        });
                assertThat(server.received).as("requests for %d", status).hasSize(1);
            }
        }
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void connectionRefused_retriedUntilTheServerIsUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicReference<StandIn> started = new AtomicReference<>();
        CountAppClient client = CountAppClient.builder().baseUrl("http://127.0.0.1:" + port).time(time)
                .random(FakeTime.pinned(true)).onRetry((attempt, failure, delay) -> {
                    assertThat(failure.status()).isZero();
                    assertThat(failure.isRetryable()).isTrue();
                    if (attempt == 3) {
                        try {
                            started.set(new StandIn(port, Answer.of(200, "{\"erased\":1}")));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }).build();
        try {
            assertThat(client.erase("acme", "u-1")).isEqualTo(1);
            assertThat(time.sleeps).hasSize(3);
        } finally {
            if (started.get() != null) {
                started.get().close();
            }
        }
    }

    @Test
    void connectionRefused_noRetryPolicy_typedFailureAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CountAppClient client = CountAppClient.builder().baseUrl("http://127.0.0.1:" + port).retry(RetryPolicy.none())
                .time(time).build();

        assertThatThrownBy(() -> client.count("acme")).isInstanceOfSatisfying(CountAppException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
            assertThat(e.attempts()).isEqualTo(1);
        });
    }

    @Test
    void requestTimeout_slowAnswer_failsWithinTheTimeout() throws Exception {
        try (StandIn server = new StandIn(new Answer(200, "{\"count\":1}", null, 3000))) {
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).retry(RetryPolicy.none())
                    .requestTimeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.count("acme")).isInstanceOfSatisfying(CountAppException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.getCause()).isInstanceOf(java.net.http.HttpTimeoutException.class);
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }
    @Test
    void interruptedWhileWaitingToRetry_notRetriedAndInterruptKept() throws Exception {
        try (StandIn server = new StandIn(Answer.of(503, "{\"error\":\"busy\"}"), Answer.of(200, ADDED))) {
            Time interrupting = time.sleepingAs(duration -> {
                throw new InterruptedException("stop");
            });
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).time(interrupting).build();
            try {
                assertThatThrownBy(() -> client.add(List.of(Item.of("acme", "u-1")))).isInstanceOfSatisfying(
                        CountAppException.class, e -> {
                            assertThat(e.status()).isZero();
                            assertThat(e.error()).isEqualTo("interrupted");
                            assertThat(e.isRetryable()).isFalse();
                        });
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                assertThat(server.received).hasSize(1);
            } finally {
                Thread.interrupted(); // clear it for the next test
            }
        }
    }
    @Test
    void sleepOverrunsTheBudget_noFurtherAttemptAndLastFailureThrown() throws Exception {
        try (StandIn server = new StandIn(Answer.of(503, "{\"error\":\"busy\"}"), Answer.of(200, ADDED))) {
            Time oversleeping = time.sleepingAs(duration -> time.sleep(duration.plusSeconds(1))); // woken late
            CountAppClient client = CountAppClient.builder().baseUrl(server.url()).time(oversleeping)
                    .random(FakeTime.pinned(true)).retry(RetryPolicy.of(Duration.ofSeconds(1), Duration.ofMillis(100),
                            Duration.ofSeconds(1))).build();

            assertThatThrownBy(() -> client.count("acme")).isInstanceOfSatisfying(CountAppException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.error()).isEqualTo("busy");
            });
            assertThat(server.received).hasSize(1);
        }
    }
}
