package countapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sends one API request with its retries and turns every answer but 200 into a {@link CountAppException}
 * carrying the status and the server's {@code "error"}. JSON answers are read whole (they are small); streamed
 * answers are handed over as the open body, read by the caller line by line.
 */
final class Transport {
    static final ObjectMapper JSON = new ObjectMapper();
    /** An error body is read up to this size; the server's are far smaller. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final HttpClient http;
    private final String base;
    /** The {@code Authorization} header's value, or null to send none. */
    private final @Nullable String authorization;
    private final Retrier retrier;

    Transport(HttpClient http, String base, @Nullable String authorization, Retrier retrier) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
        this.retrier = retrier;
    }

    /** {@code method path} with an optional JSON body; the answer's JSON object. */
    JsonNode call(String method, String path, byte @Nullable [] body) {
        String what = method + " " + path;
        return retrier.run(what, timeout -> {
            HttpResponse<byte[]> resp = send(what, request(method, path, body, timeout), HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw failure(what, resp.statusCode(), resp.body(), resp.headers());
            }
            try {
                JsonNode answer = JSON.readTree(resp.body());
                if (answer == null || !answer.isObject()) {
                    throw CountAppException.unexpected(what, "not a JSON object: " + excerpt(resp.body()));
                }
                return answer;
            } catch (IOException e) {
                throw CountAppException.unexpected(what, "not JSON: " + excerpt(resp.body()));
            }
        });
    }

    /** {@code GET path}'s body once the server answered 200; the caller reads and closes it. */
    InputStream open(String path) {
        String what = "GET " + path;
        return retrier.run(what, timeout -> {
            HttpResponse<InputStream> resp = send(what, request("GET", path, null, timeout),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() == 200) {
                return resp.body();
            }
            byte[] body;
            try (InputStream in = resp.body()) {
                body = in.readNBytes(MAX_ERROR_BYTES);
            } catch (IOException e) {
                throw CountAppException.transport(what, e);
            }
            throw failure(what, resp.statusCode(), body, resp.headers());
        });
    }

    private HttpRequest request(String method, String path, byte @Nullable [] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private <T> HttpResponse<T> send(String what, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw CountAppException.transport(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CountAppException.interrupted(what, e);
        }
    }

    private static CountAppException failure(String what, int status, byte[] body, HttpHeaders headers) {
        String text = new String(body, StandardCharsets.UTF_8);
        String error = text.isBlank() ? "(no body)" : excerpt(body);
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.path("error").isTextual()) {
                error = json.path("error").asText();
            }
        } catch (IOException e) {
            // not JSON (a proxy's page): its text is the error
        }
        return CountAppException.http(what, status, error, text, retryAfter(headers).orElse(null));
    }

    /** {@code Retry-After} as seconds or as an HTTP date; absent when missing or malformed. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
