package countapp.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When and how long to wait before sending a failed request again. A request is retried while it fails in a
 * retryable way ({@link CountAppException#isRetryable()}: no answer, or 502, 503, 504) and its total time stays
 * within {@code budget}; the wait before retry {@code n} is drawn uniformly from [cap/2, cap] with
 * {@code cap = min(maxBackoff, initialBackoff × 2^(n-1))}, and is at least the server's {@code Retry-After}. A wait
 * that would end past the budget is not waited: the last failure is thrown at once. The first attempt gets the
 * whole request time-out, later ones what is left of the budget when that is less, so a call ends within the budget
 * or one request time-out, whichever is longer.
 */
public final class RetryPolicy {
    private final Duration budget;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private RetryPolicy(Duration budget, Duration initialBackoff, Duration maxBackoff) {
        if (budget.isNegative() || initialBackoff.isNegative() || initialBackoff.isZero()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry policy needs budget >= 0 and 0 < initialBackoff <= maxBackoff, got "
                    + budget + ", " + initialBackoff + ", " + maxBackoff);
        }
        this.budget = budget;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * A policy of {@code budget} in all, waits from {@code initialBackoff} doubling up to {@code maxBackoff}.
     *
     * @param budget the longest time from the first attempt until a failure is given up on
     * @param initialBackoff the largest wait before the first retry (doubling for each retry after it)
     * @param maxBackoff the largest wait before any retry
     */
    public static RetryPolicy of(Duration budget, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(budget, initialBackoff, maxBackoff);
    }

    /**
     * Two minutes in all, waits from 100 ms doubling up to 5 s: longer than the coordinator's own failover
     * (it answers 503 after {@code failover_timeout}, 30 s by default), so a worker's crash is ridden out.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMinutes(2), Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** Never retry: the first failure is the caller's. */
    public static RetryPolicy none() {
        return new RetryPolicy(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(1));
    }

    public Duration budget() {
        return budget;
    }

    /** 502 and 504 come from a proxy or load balancer in front; the coordinator itself answers 503 (with or
     *  without {@code Retry-After}) when it is overloaded or no worker could take the request in time. */
    static boolean retryableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /** The wait before retry {@code retry} (from 1), jittered by {@code random}. */
    Duration backoff(int retry, RandomGenerator random) {
        long initial = initialBackoff.toNanos();
        int doublings = Math.min(retry - 1, Long.numberOfLeadingZeros(initial) - 1); // the shift never overflows
        long cap = Math.min(maxBackoff.toNanos(), initial << doublings);
        long half = cap / 2;
        return Duration.ofNanos(half + random.nextLong(cap - half + 1));
    }

    @Override
    public String toString() {
        return "RetryPolicy[budget=" + budget + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + "]";
    }
}
