package countapp.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI 3.1 description of the public API, {@code countapp/api/openapi.json} on the class path. */
public final class OpenApi {
    private static final String RESOURCE = "openapi.json";

    private OpenApi() {}

    private static final class Holder {
        static final String DOCUMENT = load();
    }

    /** The document's text, read once. */
    public static String document() {
        return Holder.DOCUMENT;
    }

    private static String load() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("countapp/api/" + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
