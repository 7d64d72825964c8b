package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.WorkerEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A round of health checks against a worker API whose answers the test gives, with the round's clock in its hand. */
class HealthChecksTest {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Promise<WorkerApi.Reply> answer = Promise.promise();
    private final WorkerHandle worker = new WorkerHandle(new WorkerEndpoint("http://localhost:1", "localhost", 1, true));
    private final HealthChecks checks = new HealthChecks(new WorkerApi() {
        @Override
        public Future<Reply> health(WorkerHandle w, long timeoutMs) {
            return answer.future();
        }

        @Override
        public Future<Reply> assign(WorkerHandle w, Set<Integer> partitions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void kill(WorkerHandle w) {
            throw new UnsupportedOperationException();
        }
    }, thread, clock::get);

    @AfterEach
    void stop() {
        thread.shutdownNow();
    }

    @Test
    void check_noAnswerWithinTimeout_silentFailure() throws Exception {
        CompletableFuture<Map<WorkerHandle, HealthChecks.Result>> done = new CompletableFuture<>();
        checks.check(List.of(worker), 200, done::complete);
        clock.addAndGet(250); // the timer fires on time

        HealthChecks.Result r = done.get(5, TimeUnit.SECONDS).get(worker);
        assertThat(r.ok()).isFalse();
        assertThat(r.silent()).isTrue();
    }

    @Test
    void check_refused_failureNotSilent() throws Exception {
        CompletableFuture<Map<WorkerHandle, HealthChecks.Result>> done = new CompletableFuture<>();
        checks.check(List.of(worker), 200, done::complete);
        answer.fail("Connection refused: localhost/127.0.0.1:1");

        HealthChecks.Result r = done.get(5, TimeUnit.SECONDS).get(worker);
        assertThat(r.ok()).isFalse();
        assertThat(r.silent()).isFalse();
        assertThat(r.failure()).contains("Connection refused");
    }

    /** Issue 20: after a pause of the coordinator, its overdue timer must not call the workers silent. */
    @Test
    void issue20_check_timerFiresLateAfterCoordinatorPause_waitsForTheAnswer() throws Exception {
        CompletableFuture<Map<WorkerHandle, HealthChecks.Result>> done = new CompletableFuture<>();
        clock.addAndGet(10_000); // the coordinator did not run for 10 s after sending the check
        checks.check(List.of(worker), 1000, done::complete);
        clock.addAndGet(10_000);
        Thread.sleep(1500); // the round's timer has fired (after 1.05 s), late by the clock: the round waits on
        assertThat(done).isNotDone();

        answer.complete(new WorkerApi.Reply(200,
                "{\"pid\":7,\"uptime_ms\":5,\"blocked\":{},\"partitions\":[1]}".getBytes(StandardCharsets.UTF_8)));
        HealthChecks.Result r = done.get(5, TimeUnit.SECONDS).get(worker);
        assertThat(r.ok()).isTrue();
        assertThat(r.answer().partitions()).containsExactly(1);
    }
}
