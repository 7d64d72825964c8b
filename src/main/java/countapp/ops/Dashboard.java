package countapp.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /dashboard}: one self-contained HTML page (inline CSS and JavaScript, no external resources)
 * that polls {@code /status} and {@code /metrics}. Read from the class path once and served as is.
 */
public final class Dashboard {
    static final String RESOURCE = "/countapp/ops/dashboard.html";

    private final Buffer page;

    public Dashboard() {
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            page = Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(HttpServerRequest req) {
        req.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(page);
    }

    /** The page's size in bytes. */
    public int size() {
        return page.length();
    }
}
