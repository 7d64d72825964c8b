package countapp.client;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the fields an answer must have; a missing or mistyped one is an {@link IllegalArgumentException}. */
final class JsonFields {
    private JsonFields() {}

    static long count(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" is not a count in " + node);
        }
        return value.asLong();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a string in " + node);
        }
        return value.asText();
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" is not true or false in " + node);
        }
        return value.asBoolean();
    }
}
