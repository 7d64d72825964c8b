package countapp.api;

import countapp.model.ItemBatch;
import countapp.model.Limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile bodies never crash the parser: every input either parses into a valid batch or is refused with
 * a 4xx {@link ApiException} naming the problem. A 5xx (any other exception) would be a bug.
 */
class ItemParserFuzzTest {
    private final ItemParser parser = new ItemParser(Limits.of(64 * 1024, 1000, 512));

    @Property(tries = 400)
    void parse_randomBytes_validOr4xx(@ForAll byte[] body) {
        assertValidOr4xx(body);
    }

    @Property(tries = 400)
    void parse_mutatedValidBody_validOr4xx(@ForAll("validBodies") String body, @ForAll("mutations") List<int[]> mutations) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int[] m : mutations) {
            if (bytes.length == 0) {
                break;
            }
            int at = Math.floorMod(m[0], bytes.length);
            switch (Math.floorMod(m[1], 3)) {
                case 0: // overwrite a byte
                    bytes[at] = (byte) m[2];
                    break;
                case 1: // drop a byte
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                    break;
                default: // duplicate a byte
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at + 1);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                    break;
            }
        }
        assertValidOr4xx(bytes);
    }

    @Property(tries = 50)
    void parse_deepNesting_refused400(@ForAll @IntRange(min = 1_001, max = 20_000) int depth) {
        String body = "[".repeat(depth) + "]".repeat(depth);

        ApiException e = parseFailure(body.getBytes(StandardCharsets.UTF_8));

        assertThat(e.status()).isEqualTo(400);
    }

    @Property(tries = 50)
    void parse_hugeNumbersAsValues_refused400(@ForAll @IntRange(min = 1, max = 5000) int digits) {
        String number = "9".repeat(digits) + "e99999";
        String body = "[{\"id\":" + number + ",\"tenant\":\"t\"}]";

        ApiException e = parseFailure(body.getBytes(StandardCharsets.UTF_8));

        assertThat(e.status()).isEqualTo(400);
    }

    @Property(tries = 100)
    void parse_duplicateKeys_refusedWithIndex(@ForAll("validBodies") String prefix) {
        String body = prefix.substring(0, prefix.length() - 1) + (prefix.equals("[]") ? "" : ",")
                + "{\"id\":\"a\",\"tenant\":\"t\",\"id\":\"b\"}]";

        ApiException e = parseFailure(body.getBytes(StandardCharsets.UTF_8));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("duplicate field \"id\"");
    }

    /** Parsing is pure: what it returns holds exactly the items of the body, in order. */
    @Property(tries = 200)
    void parse_generatedBody_returnsTheItems(@ForAll("items") List<Map<String, String>> items) {
        StringBuilder sb = new StringBuilder("[");
        for (Map<String, String> item : items) {
            sb.append(sb.length() > 1 ? "," : "").append(Json.write(item));
        }
        ItemBatch batch = parser.parse(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));

        assertThat(batch.size()).isEqualTo(items.size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(batch.id(i)).isEqualTo(items.get(i).get("id"));
            assertThat(batch.tenant(i)).isEqualTo(items.get(i).get("tenant"));
        }
    }

    @Provide
    Arbitrary<String> validBodies() {
        return items().map(list -> {
            List<String> parts = new ArrayList<>();
            list.forEach(m -> parts.add(Json.write(m)));
            return "[" + String.join(",", parts) + "]";
        });
    }

    @Provide
    Arbitrary<List<Map<String, String>>> items() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '\u2fff').ofMinLength(1).ofMaxLength(20)
                .filter(s -> Utf8.encodedLength(s) > 0 && Utf8.encodedLength(s) <= 512);
        return Combinators.combine(text, text).as((id, tenant) -> {
            Map<String, String> m = new HashMap<>();
            m.put("id", id);
            m.put("tenant", tenant);
            return m;
        }).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Arbitraries.integers().array(int[].class).ofSize(3).list().ofMinSize(1).ofMaxSize(5);
    }

    private void assertValidOr4xx(byte[] body) {
        try {
            ItemBatch batch = parser.parse(body);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(batch.id(i)).isNotEmpty();
                assertThat(batch.tenant(i)).isNotEmpty();
                assertThat(Utf8.encodedLength(batch.id(i))).isBetween(1, 512);
            }
        } catch (ApiException e) {
            assertThat(e.status()).isBetween(400, 499);
        }
    }

    private ApiException parseFailure(byte[] body) {
        try {
            parser.parse(body);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected the body to be refused");
    }
}
