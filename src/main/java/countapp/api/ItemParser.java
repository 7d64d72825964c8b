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
    private final Limits limits;

    public ItemParser(Limits limits) {
        this.limits = limits;
    }

    public ItemBatch parse(byte[] body) {
        if (body.length > limits.maxBodyBytes()) {
            throw tooLarge(limits);
        }
        // Jackson accepts overlong UTF-8 forms (0xc0 0xaf reads as '/'), so different bytes could name one id.
        int invalid = Utf8.firstInvalid(body);
        if (invalid >= 0) {
            throw new ApiException(400, "malformed JSON: invalid UTF-8 at byte offset " + invalid);
        }
        try (JsonParser p = Json.FACTORY.createParser(body)) {
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
            }
            String id = null;
            String tenant = null;
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
            n++;
        }
        if (p.nextToken() != null) {
            throw new ApiException(400, "unexpected content after the array");
        }
        return new ItemBatch(Arrays.copyOf(tenants, n), Arrays.copyOf(ids, n));
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
