package countapp.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code PUT /partitions}: {@code {"partitions":[0,3,5]}}, the full set a worker must own; the
 * coordinator writes it, the worker reads it and answers with what it owns in the same form.
 */
public final class PartitionList {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PartitionList() {}

    public static Set<Integer> parse(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"partitions".equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
                throw new ApiException(400, "expected {\"partitions\":[...]}");
            }
            Set<Integer> set = new TreeSet<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    throw new ApiException(400, "partitions must be whole numbers");
                }
                set.add(p.getIntValue());
            }
            return set;
        } catch (IOException e) {
            throw new ApiException(400, "malformed JSON: " + e.getMessage());
        }
    }

    public static String toJson(Set<Integer> partitions) {
        StringBuilder sb = new StringBuilder("{\"partitions\":[");
        boolean first = true;
        for (int p : partitions) {
            if (!first) {
                sb.append(',');
            }
            sb.append(p);
            first = false;
        }
        return sb.append("]}").toString();
    }
}
