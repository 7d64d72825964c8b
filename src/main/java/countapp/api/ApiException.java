package countapp.api;

import java.util.Map;

/** A request failure with its HTTP status and the JSON fields that explain it to the client. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> details;
    /** Seconds for a {@code Retry-After} header, or 0 for none. */
    private final int retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, Object> details) {
        this(status, message, details, 0);
    }

    public ApiException(int status, String message, Map<String, Object> details, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.details = Map.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badItem(int index, String problem) {
        return new ApiException(400, "item " + index + ": " + problem, Map.of("index", index));
    }

    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** The JSON body: {@code {"error": message, ...details}}. */
    public String toJson() {
        return Json.error(String.valueOf(getMessage()), details);
    }
}
