package countapp.api;

import countapp.model.ItemBatch;
import countapp.model.Limits;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Parses and validates a {@code POST /items} body in one streaming pass. Either the whole batch is valid
 * and returned, or an {@link ApiException} names the first problem (with the item index): a rejected
 * request never reaches the store, so it changes nothing.
 */
public final class ItemParser {
    /** How far ahead of this process' clock an item's {@code ts} may be: clocks differ a little, never by more. */
    public static final long MAX_FUTURE_MILLIS = 5 * 60_000L;

    private final Limits limits;
    private final java.time.Clock clock;

    public ItemParser(Limits limits) {
        this(limits, java.time.Clock.systemUTC());
    }

    /** A parser that stamps items without {@code ts} with {@code clock}'s time (their arrival). */
    public ItemParser(Limits limits, java.time.Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    public ItemBatch parse(byte[] body) {
        return parse(body, 0, body.length);
    }

    /** Parses a request body where it lies, in the buffer's own array (no copy of the body). */
    public ItemBatch parse(io.vertx.core.buffer.Buffer body) {
        countapp.codec.BufferBytes.Region bytes = countapp.codec.BufferBytes.of(body);
        return parse(bytes.array(), bytes.from(), bytes.to());
    }

    /** Parses the body {@code body[from..to)}. */
    public ItemBatch parse(byte[] body, int from, int to) {
        if (to - from > limits.maxBodyBytes()) {
            throw tooLarge(limits);
        }
        // Jackson accepts overlong UTF-8 forms (0xc0 0xaf reads as '/'), so different bytes could name one id.
        int invalid = Utf8.firstInvalid(body, from, to);
        if (invalid >= 0) {
            throw new ApiException(400, "malformed JSON: invalid UTF-8 at byte offset " + (invalid - from));
        }
        try (JsonParser p = Json.FACTORY.createParser(body, from, to - from)) {
            return parse(p);
        } catch (StreamConstraintsException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new ApiException(400, "unreadable body: " + e.getMessage());
        }
    }

    public static ApiException tooLarge(Limits limits) {
        return new ApiException(413, "request body is larger than the limit of " + limits.maxBodyBytes() + " bytes",
                Map.of("limit", "max_body_bytes", "max", limits.maxBodyBytes()));
    }

    private ItemBatch parse(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token == null) {
            throw new ApiException(400, "empty body: expected a JSON array of {\"id\",\"tenant\"} objects");
        }
        if (token != JsonToken.START_ARRAY) {
            throw new ApiException(400, "body must be a JSON array of {\"id\",\"tenant\"} objects, got " + describe(token));
        }
        String[] tenants = new String[16];
        String[] ids = new String[16];
        int[] days = new int[16];
        long now = clock.millis();
        int arrival = countapp.model.Window.dayOfMillis(now);
        int n = 0;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new ApiException(400, "malformed JSON: unexpected end of input inside the array");
            }
            if (n == limits.maxItems()) {
                throw new ApiException(413, "more than " + limits.maxItems() + " items in one request",
                        Map.of("limit", "max_items", "max", limits.maxItems()));
            }
            if (token != JsonToken.START_OBJECT) {
                throw ApiException.badItem(n, "must be an object {\"id\",\"tenant\"}, got " + describe(token));
            }
            if (n == ids.length) {
                tenants = Arrays.copyOf(tenants, n * 2);
                ids = Arrays.copyOf(ids, n * 2);
                days = Arrays.copyOf(days, n * 2);
            }
            String id = null;
            String tenant = null;
            int day = arrival;
            boolean timed = false;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(field)) {
                    if (id != null) {
                        throw ApiException.badItem(n, "duplicate field \"id\"");
                    }
                    id = readValue(p, value, n, "id");
                } else if ("tenant".equals(field)) {
                    if (tenant != null) {
                        throw ApiException.badItem(n, "duplicate field \"tenant\"");
                    }
                    tenant = readValue(p, value, n, "tenant");
                } else if ("ts".equals(field)) {
                    if (timed) {
                        throw ApiException.badItem(n, "duplicate field \"ts\"");
                    }
                    timed = true;
                    day = countapp.model.Window.dayOfMillis(eventTime(p, value, n, now));
                } else {
                    p.skipChildren(); // unknown fields are ignored, as the seed did
                }
            }
            if (id == null) {
                throw ApiException.badItem(n, "missing \"id\"");
            }
            if (tenant == null) {
                throw ApiException.badItem(n, "missing \"tenant\"");
            }
            tenants[n] = tenant;
            ids[n] = id;
            days[n] = day;
            n++;
        }
        if (p.nextToken() != null) {
            throw new ApiException(400, "unexpected content after the array");
        }
        return new ItemBatch(Arrays.copyOf(tenants, n), Arrays.copyOf(ids, n), Arrays.copyOf(days, n));
    }

    /**
     * An item's {@code ts} in epoch milliseconds: RFC 3339 text ({@code 2026-11-28T10:00:00Z}, any offset) or
     * an integer of epoch milliseconds, at most {@link #MAX_FUTURE_MILLIS} ahead of {@code now}.
     */
    private static long eventTime(JsonParser p, JsonToken value, int index, long now) throws IOException {
        long millis;
        if (value == JsonToken.VALUE_STRING) {
            try {
                millis = java.time.OffsetDateTime.parse(p.getText(), java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant().toEpochMilli();
            } catch (java.time.DateTimeException | ArithmeticException e) {
                throw ApiException.badItem(index, "\"ts\" must be RFC 3339 text such as \"2026-11-28T10:00:00Z\", "
                        + "or epoch milliseconds");
            }
        } else if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            millis = p.getLongValue();
        } else {
            throw ApiException.badItem(index, "\"ts\" must be RFC 3339 text or an integer of epoch milliseconds, got "
                    + describe(value));
        }
        if (millis < 0) {
            throw ApiException.badItem(index, "\"ts\" is before 1970-01-01T00:00:00Z");
        }
        if (millis > now + MAX_FUTURE_MILLIS) {
            throw ApiException.badItem(index, "\"ts\" is more than 5 minutes in the future");
        }
        return millis;
    }

    private String readValue(JsonParser p, JsonToken value, int index, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            throw ApiException.badItem(index, "\"" + field + "\" must be a non-empty string, got null");
        }
        if (value != JsonToken.VALUE_STRING) {
            throw ApiException.badItem(index, "\"" + field + "\" must be a non-empty string, got " + describe(value));
        }
        String s = p.getText();
        if (s.isEmpty()) {
            throw ApiException.badItem(index, "\"" + field + "\" must not be empty");
        }
        int bytes = Utf8.encodedLength(s);
        if (bytes < 0) {
            throw ApiException.badItem(index, "\"" + field + "\" is not valid Unicode (unpaired surrogate)");
        }
        if (bytes > limits.maxValueBytes()) {
            throw new ApiException(400, "item " + index + ": \"" + field + "\" is " + bytes
                    + " bytes long, the limit is " + limits.maxValueBytes(),
                    Map.of("index", index, "limit", "max_value_bytes", "max", limits.maxValueBytes()));
        }
        return s;
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_ARRAY: return "an array";
            case START_OBJECT: return "an object";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return token.asString() == null ? token.name() : token.asString();
        }
    }
}
