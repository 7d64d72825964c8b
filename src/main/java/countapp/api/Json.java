package countapp.api;

import org.jspecify.annotations.Nullable;
import countapp.model.ItemBatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The few JSON documents CountApp writes, produced with Jackson's streaming generator. */
public final class Json {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {}

    public static String error(String message, Map<String, Object> details) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", message);
        doc.putAll(details);
        return write(doc);
    }

    /** Writes maps, collections, strings, numbers, booleans and nulls as JSON. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection) {
            g.writeStartArray();
            for (Object item : (Collection<?>) value) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            g.writeObject(value);
        } else {
            g.writeString(value.toString());
        }
    }

    public static String received(long received, long added) {
        return "{\"received\":" + received + ",\"added\":" + added + "}";
    }

    public static String count(long count) {
        return "{\"count\":" + count + "}";
    }

    /** The {@code error} of a worker's JSON error answer, prefixed with {@code source}; the raw text if it is none. */
    public static String errorMessage(byte[] body, String source) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("error".equals(name) && value == JsonToken.VALUE_STRING) {
                        return source + ": " + p.getText();
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // not JSON: the text as it came
        }
        return source + ": " + new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String erased(long erased) {
        return "{\"erased\":" + erased + "}";
    }

    /** One {@code {"tenant","count"}} JSON line per tenant ({@code tenants[i]} has {@code counts[i]}): an export's chunk. */
    public static byte[] countLines(java.util.List<String> tenants, long[] counts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + tenants.size() * 40);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (int i = 0; i < tenants.size(); i++) {
                g.writeStartObject();
                g.writeStringField("tenant", tenants.get(i));
                g.writeNumberField("count", counts[i]);
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The items at {@code indices} of {@code batch} as a JSON array of {@code {"id","tenant"}} objects. */
    public static byte[] items(ItemBatch batch, int[] indices, int count) {
        return items(batch, indices, count, null);
    }

    /**
     * As {@link #items(ItemBatch, int[], int)}, each item with its {@code ts} as given in {@code times[index]}
     * (RFC 3339 text or epoch milliseconds; none when null): the CLI passes a file's event times on unchanged.
     */
    public static byte[] items(ItemBatch batch, int[] indices, int count, @Nullable Object @Nullable [] times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + count * 40);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < count; i++) {
                int index = indices[i];
                g.writeStartObject();
                g.writeStringField("id", batch.id(index));
                g.writeStringField("tenant", batch.tenant(index));
                Object ts = times == null ? null : times[index];
                if (ts instanceof Long) {
                    g.writeNumberField("ts", (Long) ts);
                } else if (ts != null) {
                    g.writeStringField("ts", ts.toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One {@code {"id","tenant"}} JSON line per id: a dump that {@code POST /items} (or the CLI) can read back. */
    public static byte[] itemLines(String tenant, java.util.List<String> ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + ids.size() * (tenant.length() + 32));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(null); // the newline below separates the values
            for (String id : ids) {
                g.writeStartObject();
                g.writeStringField("id", id);
                g.writeStringField("tenant", tenant);
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads one non-negative long field from a small, trusted JSON object (a worker's answer). */
    public static long longField(byte[] json, String field) {
        return readField(json, field, "field", JsonParser::getLongValue);
    }

    /** Reads an array of longs field, e.g. {@code "partitions":[1,2]}, from a small, trusted JSON object. */
    public static long[] longsField(byte[] json, String field) {
        return readField(json, field, "array", p -> {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return null;
            }
            long[] values = new long[8];
            int n = 0;
            while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = p.getLongValue();
            }
            return Arrays.copyOf(values, n);
        });
    }

    /**
     * Reads an object of strings, e.g. {@code "blocked":{"3":"the disk is full"}}, from a small, trusted JSON
     * object; an empty map when the field is missing.
     */
    public static Map<String, String> stringMapField(byte[] json, String field) {
        try {
            return readField(json, field, "object", p -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                Map<String, String> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, p.getValueAsString());
                }
                return m;
            });
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /** Reads a value with {@code reader}, the parser on the value of the first {@code field}; null = not found. */
    private static <T> T readField(byte[] json, String field, String kind, ValueReader<T> reader) {
        try (JsonParser p = FACTORY.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && field.equals(p.currentName())) {
                    p.nextToken();
                    T value = reader.read(p);
                    if (value != null) {
                        return value;
                    }
                    break;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable JSON: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no " + kind + " \"" + field + "\" in " + new String(json, StandardCharsets.UTF_8));
    }

    private interface ValueReader<T> {
        /** The value, or null when the field is not of the expected kind. */
        @Nullable T read(JsonParser p) throws IOException;
    }
}
