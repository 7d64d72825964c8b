package countapp.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A client of the CountApp coordinator's HTTP API. Thread-safe: share one instance. Every method sends one request,
 * retried as its {@link RetryPolicy} says when it fails in a retryable way (no answer, or 502, 503, 504): every
 * operation of the API is idempotent, adds included, so a retry never counts anything twice. Any other failure,
 * and a retryable one past the retry budget, is a {@link CountAppException} with the HTTP status and the server's
 * error. The streaming methods ({@link #export}, {@link #ids}) return a lazy stream read line by line from the
 * open response: close it (try-with-resources) to close the connection.
 */
public final class CountAppClient {
    private final Transport transport;

    private CountAppClient(Transport transport) {
        this.transport = transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code POST /items}: adds the batch (at most the server's {@code max_items}, 100,000 by default). */
    public Added add(Collection<Item> items) {
        JsonNode answer = transport.call("POST", "/items", encode(items));
        return parse("POST /items", answer, a -> new Added(JsonFields.count(a, "received"), JsonFields.count(a, "added")));
    }

    /** {@code GET /items/{tenant}/count}: the tenant's number of distinct ids of all time (0 for an unknown tenant). */
    public long count(String tenant) {
        return count(tenant, Window.allTime());
    }

    /** The tenant's number of distinct ids in {@code window}. */
    public long count(String tenant, Window window) {
        String path = "/items/" + segment("tenant", tenant) + "/count" + window.countQuery();
        return parse("GET " + path, transport.call("GET", path, null), a -> JsonFields.count(a, "count"));
    }

    /** {@code GET /counts}: every tenant's all-time count, streamed; close the stream. Needs an ops key with auth. */
    public Stream<TenantCount> export() {
        return export(Window.allTime());
    }

    /** Every tenant's count (above 0) in {@code window}: all time, a day or a month; close the stream. */
    public Stream<TenantCount> export(Window window) {
        String path = "/counts" + window.exportQuery();
        return JsonLines.stream("GET " + path, transport.open(path),
                line -> new TenantCount(JsonFields.text(line, "tenant"), JsonFields.count(line, "count")));
    }

    /** {@code GET /items/{tenant}/ids}: the tenant's ids, streamed; close the stream. */
    public Stream<Item> ids(String tenant) {
        String path = "/items/" + segment("tenant", tenant) + "/ids";
        return JsonLines.stream("GET " + path, transport.open(path),
                line -> Item.of(JsonFields.text(line, "tenant"), JsonFields.text(line, "id")));
    }

    /** {@code DELETE /items/{tenant}/ids/{id}}: erases the pair from every count; 1 when it was counted, else 0. */
    public long erase(String tenant, String id) {
        String path = "/items/" + segment("tenant", tenant) + "/ids/" + segment("id", id);
        return parse("DELETE " + path, transport.call("DELETE", path, null), a -> JsonFields.count(a, "erased"));
    }

    /** {@code DELETE /items/{tenant}}: erases every id of the tenant; how many there were. */
    public long eraseTenant(String tenant) {
        String path = "/items/" + segment("tenant", tenant);
        return parse("DELETE " + path, transport.call("DELETE", path, null), a -> JsonFields.count(a, "erased"));
    }

    /** {@code GET /status}: workers, partitions, config, totals. Needs an ops key with auth. */
    public Status status() {
        return parse("GET /status", transport.call("GET", "/status", null), Status::of);
    }

    /** {@code GET /health}: public, for load balancers. */
    public Health health() {
        return parse("GET /health", transport.call("GET", "/health", null), a -> new Health(JsonFields.flag(a, "settled")));
    }

    private static <T> T parse(String what, JsonNode answer, java.util.function.Function<JsonNode, T> reader) {
        try {
            return reader.apply(answer);
        } catch (IllegalArgumentException e) {
            throw CountAppException.unexpected(what, String.valueOf(e.getMessage()));
        }
    }

    /** The batch as the API's JSON array; {@code ts} as epoch milliseconds. */
    static byte[] encode(Collection<Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + items.size() * 48);
        try (JsonGenerator g = Transport.JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (Item item : items) {
                g.writeStartObject();
                g.writeStringField("id", item.id());
                g.writeStringField("tenant", item.tenant());
                if (item.ts() != null) {
                    g.writeNumberField("ts", item.ts().toEpochMilli());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /**
     * One percent-encoded path segment: every byte but letters, digits, {@code -}, {@code _} and {@code ~} is
     * encoded, so a {@code /} stays inside the tenant or id and {@code .} or {@code ..} can never be taken for a
     * dot-segment by a proxy (which would turn the erasure of an id into that of its tenant).
     */
    static String segment(String name, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * Settings with safe defaults: {@code http://localhost:5000}, no key, 5 s to connect, 60 s per request (longer
     * than the coordinator's own failover, 30 s by default), {@link RetryPolicy#defaults()}.
     */
    public static final class Builder {
        private URI baseUrl = URI.create("http://localhost:5000");
        private @Nullable String authorization;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private RetryPolicy retry = RetryPolicy.defaults();
        private RetryListener listener = (attempt, failure, delay) -> { };
        private Time time = Time.SYSTEM;
        private RandomGenerator random = RandomGenerator.getDefault();

        private Builder() {}

        /** The coordinator, e.g. {@code http://localhost:5000} (a path prefix is kept, for a proxy). */
        public Builder baseUrl(String url) {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the base URL is http(s)://host[:port][/path], got " + url);
            }
            this.baseUrl = uri;
            return this;
        }

        /** Sends {@code Authorization: Bearer <key>}: what every endpoint accepts. */
        public Builder bearer(String key) {
            this.authorization = "Bearer " + requireKey(key);
            return this;
        }

        /**
         * Sends the key as the password of HTTP Basic. The server accepts Basic on the ops endpoints only
         * ({@link #status()}, {@link #export}); the tenant endpoints answer it 401, since browsers attach cached
         * Basic credentials to requests other sites make them send.
         */
        public Builder basic(String user, String key) {
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a Basic user name cannot contain ':'");
            }
            String pair = user + ":" + requireKey(key);
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** How long one attempt may wait for the answer's headers (a streamed body may take longer). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder onRetry(RetryListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock and sleep of the retry loop (tests). */
        Builder time(Time time) {
            this.time = time;
            return this;
        }

        /** The source of the back-off's jitter (tests). */
        Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public CountAppClient build() {
            String base = baseUrl.toString();
            base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            Retrier retrier = new Retrier(retry, requestTimeout, time, random, listener);
            return new CountAppClient(new Transport(http, base, authorization, retrier));
        }

        private static String requireKey(String key) {
            if (key.isBlank() || !key.strip().equals(key) || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("an API key is non-empty, without spaces around it or control characters");
            }
            return key;
        }

        private static Duration positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
