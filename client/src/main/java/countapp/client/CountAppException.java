package countapp.client;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request that failed: either the server answered with a status other than 200 ({@link #status()} is that
 * status and {@link #error()} the {@code "error"} of its JSON body), or no answer arrived at all ({@link #status()}
 * is 0: connection refused or reset, a time-out, a stream that broke off, an interrupt).
 */
public final class CountAppException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String body;
    private final @Nullable Duration retryAfter;
    private final boolean retryable;
    private final int attempts;

    private CountAppException(String message, int status, String error, String body, @Nullable Duration retryAfter,
            boolean retryable, int attempts, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
        this.body = body;
        this.retryAfter = retryAfter;
        this.retryable = retryable;
        this.attempts = attempts;
    }

    /** The server's answer {@code status} to {@code what} (e.g. {@code "POST /items"}), with its error message. */
    static CountAppException http(String what, int status, String error, String body, @Nullable Duration retryAfter) {
        return new CountAppException(what + ": HTTP " + status + ": " + error, status, error, body, retryAfter,
                RetryPolicy.retryableStatus(status), 1, null);
    }

    /** No answer to {@code what}: safe to send again, since every operation of the API is idempotent. */
    static CountAppException transport(String what, Throwable cause) {
        String error = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new CountAppException(what + ": no answer: " + error, 0, error, "", null, true, 1, cause);
    }

    /** The calling thread was interrupted: never retried (its interrupt flag is set again). */
    static CountAppException interrupted(String what, InterruptedException cause) {
        return new CountAppException(what + ": interrupted", 0, "interrupted", "", null, false, 1, cause);
    }

    /** An answer that is not what the API promises (a proxy's page, a changed server). */
    static CountAppException unexpected(String what, String problem) {
        return new CountAppException(what + ": unexpected answer: " + problem, 0, problem, "", null, false, 1, null);
    }

    /** This failure as the last of {@code attempts}, when the retry budget is spent. */
    CountAppException afterAttempts(int attempts, Duration elapsed) {
        if (attempts <= 1) {
            return this;
        }
        return new CountAppException(getMessage() + " (gave up after " + attempts + " attempts in " + elapsed.toMillis()
                + " ms)", status, error, body, retryAfter, retryable, attempts, this);
    }

    /** The HTTP status of the server's answer, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    /** The server's {@code "error"} message (or its body when it had none), or what went wrong without an answer. */
    public String error() {
        return error;
    }

    /** The server's whole error body (JSON with details such as {@code "limit"} or {@code "index"}), or "". */
    public String body() {
        return body;
    }

    /** The server's {@code Retry-After}, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether sending the same request again may succeed: no answer, or 502, 503, 504. Every operation of the API
     * is idempotent, so a retry never counts anything twice; 4xx answers are final.
     */
    public boolean isRetryable() {
        return retryable;
    }

    /** How many times the request was sent before this failure was given to the caller. */
    public int attempts() {
        return attempts;
    }
}
