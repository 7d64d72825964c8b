package countapp.client;

import java.time.Duration;

/** Told of every retry before its wait, e.g. to log it; called on the thread making the request. */
@FunctionalInterface
public interface RetryListener {
    /**
     * A retryable failure of attempt {@code attempt}, to be retried after {@code delay}.
     *
     * @param attempt the attempt that failed, from 1
     * @param failure why it failed (retryable)
     * @param delay how long the client waits before the next attempt
     */
    void onRetry(int attempt, CountAppException failure, Duration delay);
}
