package countapp.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;

/**
 * Items for {@code countapp post}, one at a time, from {@code TENANT:ID} arguments or from JSON: either
 * an array of {@code {"id","tenant"}} objects (the API's body) or JSON lines, one object per line (what
 * {@code countapp dump} prints). Streaming, so a file of any size takes constant memory.
 */
abstract class ItemReader implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** One item to post. */
    /** An item; {@code ts} is its event time as given (RFC 3339 text or epoch milliseconds), or null. */
    record Item(String tenant, String id, @org.jspecify.annotations.Nullable Object ts) {
        Item(String tenant, String id) {
            this(tenant, id, null);
        }
    }

    /** The next item, or null at the end. */
    abstract Item next() throws CliException;

    /** Bytes of input consumed so far (0 for arguments). */
    long bytesRead() {
        return 0;
    }

    @Override
    public void close() throws IOException {}

    static ItemReader fromArguments(List<String> arguments) {
        Iterator<String> it = arguments.iterator();
        return new ItemReader() {
            @Override
            Item next() throws CliException {
                if (!it.hasNext()) {
                    return null;
                }
                String arg = it.next();
                int colon = arg.indexOf(':');
                if (colon <= 0 || colon == arg.length() - 1) {
                    throw new CliException("expected TENANT:ID, got \"" + arg + "\"", 2);
                }
                return new Item(arg.substring(0, colon), arg.substring(colon + 1));
            }
        };
    }

    /** Reads a JSON array or JSON lines, whichever the input starts with. */
    static ItemReader fromJson(InputStream input, String name) throws CliException {
        Counting counting = new Counting(input);
        try {
            return new JsonItems(FACTORY.createParser(counting), counting, name);
        } catch (IOException e) {
            throw new CliException("cannot read " + name + ": " + e.getMessage(), 2);
        }
    }

    private static final class JsonItems extends ItemReader {
        private final JsonParser parser;
        private final Counting input;
        private final String name;
        private Boolean array; // null until the first token says which form this is
        private boolean ended;
        private int index;

        JsonItems(JsonParser parser, Counting input, String name) {
            this.parser = parser;
            this.input = input;
            this.name = name;
        }

        @Override
        Item next() throws CliException {
            try {
                return read();
            } catch (JsonProcessingException e) {
                throw problem("malformed JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new CliException("cannot read " + name + ": " + e.getMessage(), 2);
            }
        }

        private Item read() throws IOException, CliException {
            if (ended) {
                return null;
            }
            JsonToken t = parser.nextToken();
            if (array == null) {
                array = t == JsonToken.START_ARRAY;
                if (array) {
                    t = parser.nextToken();
                }
            }
            if (t == null || (array && t == JsonToken.END_ARRAY)) {
                if (t == null && array) {
                    throw problem("the array is not closed");
                }
                ended = true;
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw problem("expected an {\"id\",\"tenant\"} object, got " + t);
            }
            String id = null;
            String tenant = null;
            Object ts = null;
            while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ts".equals(field)) {
                    // Passed on as given: the coordinator checks it (and names the item if it refuses it).
                    if (value == JsonToken.VALUE_STRING) {
                        ts = parser.getText();
                    } else if (value == JsonToken.VALUE_NUMBER_INT) {
                        ts = parser.getLongValue();
                    } else {
                        throw problem("\"ts\" must be RFC 3339 text or an integer of epoch milliseconds");
                    }
                } else if (("id".equals(field) || "tenant".equals(field)) && value == JsonToken.VALUE_STRING) {
                    if ("id".equals(field)) {
                        id = parser.getText();
                    } else {
                        tenant = parser.getText();
                    }
                } else {
                    parser.skipChildren(); // other fields (and wrong types, reported below) are skipped
                }
            }
            if (id == null || id.isEmpty() || tenant == null || tenant.isEmpty()) {
                throw problem("item needs non-empty string \"id\" and \"tenant\" fields");
            }
            index++;
            return new Item(tenant, id, ts);
        }

        private CliException problem(String what) {
            return new CliException(name + ", line " + parser.currentLocation().getLineNr() + " (item " + (index + 1)
                    + "): " + what, 2);
        }

        @Override
        long bytesRead() {
            return input.count;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** Counts the bytes read through it, for the progress line. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
