package countapp.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Runs one request's attempts under a {@link RetryPolicy}. Every attempt gets the request time-out, or what is
 * left of the budget when that is less; a retryable failure is retried after a jittered back-off (at least the
 * server's {@code Retry-After}) unless that wait would end past the budget. Sending again is always safe here:
 * every operation of the API is idempotent (a pair counts once however often it is added).
 */
final class Retrier {
    /** One attempt, given its time-out; it throws {@link CountAppException} for any failure. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(Duration timeout);
    }

    /** A retry with less of the budget left than this is not sent. */
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    private final RetryPolicy policy;
    private final Duration requestTimeout;
    private final Time time;
    private final RandomGenerator random;
    private final RetryListener listener;

    Retrier(RetryPolicy policy, Duration requestTimeout, Time time, RandomGenerator random, RetryListener listener) {
        this.policy = policy;
        this.requestTimeout = requestTimeout;
        this.time = time;
        this.random = random;
        this.listener = listener;
    }

    <T> T run(String what, Attempt<T> attempt) {
        long start = time.nanoTime();
        long budget = policy.budget().toNanos();
        CountAppException failure = null;
        for (int n = 1; ; n++) {
            long left = budget - (time.nanoTime() - start);
            if (failure != null && left < MIN_TIMEOUT.toNanos()) { // the sleep overran what was left of the budget
                throw failure.afterAttempts(n - 1, Duration.ofNanos(time.nanoTime() - start));
            }
            Duration timeout = failure == null || left >= requestTimeout.toNanos() ? requestTimeout : Duration.ofNanos(left);
            try {
                return attempt.run(timeout);
            } catch (CountAppException e) {
                failure = e;
            }
            if (!failure.isRetryable()) {
                throw failure.afterAttempts(n, Duration.ofNanos(time.nanoTime() - start));
            }
            Duration wait = policy.backoff(n, random);
            if (failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(wait) > 0) {
                wait = failure.retryAfter().get();
            }
            long elapsed = time.nanoTime() - start;
            if (elapsed + wait.toNanos() >= budget) {
                throw failure.afterAttempts(n, Duration.ofNanos(elapsed));
            }
            listener.onRetry(n, failure, wait);
            try {
                time.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CountAppException.interrupted(what, e);
            }
        }
    }
}
