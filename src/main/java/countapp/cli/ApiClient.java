package countapp.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The coordinator's HTTP API for the CLI, over {@link java.net.http.HttpClient}; errors become {@link CliException}s. */
final class ApiClient {
    private final String base;
    private final Duration timeout;
    private final HttpClient http;
    /** An API key to send as {@code Authorization: Bearer}, or null. */
    private final String key;

    ApiClient(String url, Duration timeout, String key) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.key = key == null || key.isBlank() ? null : key.trim();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    String url() {
        return base;
    }

    /** {@code POST /items}; the answer's {@code {"received","added"}}. */
    JsonObject postItems(byte[] json) throws CliException {
        HttpRequest req = request("/items").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        return object(send(req, HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code GET /items/{tenant}/count} over {@code window}; the answer's {@code {"count", …window fields}}. */
    JsonObject count(String tenant, CountWindow window) throws CliException {
        return object(send(request(tenantPath(tenant, "/count") + window.query()).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code GET /counts}: every tenant's count over {@code window} as JSON lines; the caller closes the stream. */
    InputStream counts(CountWindow window) throws CliException {
        return send(request("/counts" + window.query()).GET().build(), HttpResponse.BodyHandlers.ofInputStream()).body();
    }

    /** {@code DELETE /items/{tenant}/ids/{id}}: 1 when the pair was counted, else 0. */
    long erase(String tenant, String id) throws CliException {
        return erased(request(tenantPath(tenant, "/ids/" + segment(id))));
    }

    /** {@code DELETE /items/{tenant}}: how many of the tenant's ids were erased. */
    long eraseTenant(String tenant) throws CliException {
        return erased(request(tenantPath(tenant, "")));
    }

    private long erased(HttpRequest.Builder builder) throws CliException {
        JsonObject answer = object(send(builder.DELETE().build(), HttpResponse.BodyHandlers.ofString()));
        Long erased = answer.getLong("erased");
        if (erased == null) {
            throw new CliException("unexpected answer (no \"erased\"): " + answer.encode());
        }
        return erased;
    }

    JsonObject status() throws CliException {
        return object(send(request("/status").GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    String statusText() throws CliException {
        return send(request("/status").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The tenant's ids as a stream of JSON lines; the caller closes it. */
    InputStream ids(String tenant) throws CliException {
        HttpResponse<InputStream> resp = send(request(tenantPath(tenant, "/ids")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return resp.body();
    }

    static String tenantPath(String tenant, String suffix) {
        return "/items/" + segment(tenant) + suffix;
    }

    /** One path segment: spaces as %20 (not +), and every slash encoded, since tenants and ids are data. */
    static String segment(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        // "." and ".." are dot-segments that a proxy may resolve: DELETE /items/t/ids/.. would reach DELETE
        // /items/t and erase the whole tenant. Encoded dots are the same id to the server and to no proxy.
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    private HttpRequest.Builder request(String path) throws CliException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
            return key == null ? b : b.header("Authorization", "Bearer " + key);
        } catch (IllegalArgumentException e) {
            throw new CliException("bad --url " + base + ": " + e.getMessage(), 2);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws CliException {
        HttpResponse<T> resp;
        try {
            resp = http.send(req, handler);
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + base + ": is the coordinator running? (" + e + ")");
        } catch (HttpTimeoutException e) {
            throw new CliException(req.method() + " " + req.uri() + ": no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new CliException(req.method() + " " + req.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        if (resp.statusCode() != 200) {
            throw new CliException(req.method() + " " + req.uri().getRawPath() + ": HTTP " + resp.statusCode() + ": "
                    + errorOf(resp.body()));
        }
        return resp;
    }

    /** The {@code "error"} of a JSON error body, else the body itself. */
    private static String errorOf(Object body) {
        String text;
        try {
            text = body instanceof InputStream ? new String(((InputStream) body).readNBytes(4096), StandardCharsets.UTF_8)
                    : String.valueOf(body);
        } catch (IOException e) {
            return "(unreadable body: " + e + ")";
        }
        try {
            String error = new JsonObject(text).getString("error");
            return error == null ? text : error;
        } catch (DecodeException | ClassCastException e) {
            return text;
        }
    }

    private static JsonObject object(HttpResponse<String> resp) throws CliException {
        try {
            return new JsonObject(resp.body());
        } catch (DecodeException e) {
            throw new CliException("unexpected answer from " + resp.uri() + ": " + resp.body());
        }
    }
}
