package countapp.api;

import java.util.Map;

/** A request failure with its HTTP status and the JSON fields that explain it to the client. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> details;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = Map.copyOf(details);
    }

    public static ApiException badItem(int index, String problem) {
        return new ApiException(400, "item " + index + ": " + problem, Map.of("index", index));
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** The JSON body: {@code {"error": message, ...details}}. */
    public String toJson() {
        return Json.error(getMessage(), details);
    }
}
