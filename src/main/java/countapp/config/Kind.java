package countapp.config;

import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kind of YAML value a setting got ("a string", "a list"), for error messages: a message names the
 * kind, never the value, because the value may be a password that a typo put in the wrong place.
 */
final class Kind {
    private Kind() {}

    static String of(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String) {
            return ((String) value).isBlank() ? "an empty string" : "a string";
        }
        if (value instanceof Boolean) {
            return "true or false";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return "a whole number";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof Set) {
            return "a set";
        }
        if (value instanceof Date) {
            return "a date";
        }
        if (value instanceof byte[]) {
            return "binary data";
        }
        return "a value of another kind";
    }

    static boolean wholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    }
}
