package countapp.api;

import countapp.model.ItemBatch;
import countapp.model.Limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemParserTest {
    private final ItemParser parser = new ItemParser(Limits.DEFAULT);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ItemBatch parse(String body) {
        return parser.parse(utf8(body));
    }

    private static ApiException rejection(ItemParser parser, byte[] body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse(body));
        assertThat(e).as("parse must reject %s", new String(body, StandardCharsets.UTF_8)).isNotNull();
        return e;
    }

    /** Rejected with 400 and no item index: the problem is the body as a whole. */
    private void assertBodyRejected(byte[] body) {
        ApiException e = rejection(parser, body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).doesNotContainKey("index");
        assertThat(e.toJson()).startsWith("{\"error\":");
    }

    private void assertBodyRejected(String body) {
        assertBodyRejected(utf8(body));
    }

    /** Rejected with 400 naming item {@code index}. */
    private ApiException assertItemRejected(byte[] body, int index) {
        ApiException e = rejection(parser, body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).containsEntry("index", index);
        assertThat(e.getMessage()).startsWith("item " + index + ":");
        return e;
    }

    private ApiException assertItemRejected(String body, int index) {
        return assertItemRejected(utf8(body), index);
    }

    private static final String OK = "{\"id\":\"1\",\"tenant\":\"t\"}";

    /** The body {@code [OK, OK, bad]}: the bad element is item 2. */
    private static String third(String bad) {
        return "[" + OK + "," + OK + "," + bad + "]";
    }

    // --- valid bodies -------------------------------------------------------------------------------

    @Test
    void parse_validItems_returnsThemInOrder() {
        ItemBatch batch = parse("[{\"id\":\"1\",\"tenant\":\"t1\"},{\"tenant\":\"t2\",\"id\":\"2\"},{\"id\":\"1\",\"tenant\":\"t1\"}]");

        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.id(0)).isEqualTo("1");
        assertThat(batch.tenant(0)).isEqualTo("t1");
        assertThat(batch.id(1)).isEqualTo("2");
        assertThat(batch.tenant(1)).isEqualTo("t2");
        assertThat(batch.id(2)).isEqualTo("1");
        assertThat(batch.tenant(2)).isEqualTo("t1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", " [ ] ", "\n[\n]\n"})
    void parse_emptyArray_returnsEmptyBatch(String body) {
        assertThat(parse(body).size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", " spaces ", "😀", "€uro", "a+b", "%2F", "\\", "\"quoted\"", "\t"})
    void parse_anyUnicodeTenant_keptVerbatim(String tenant) {
        String escaped = tenant.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t");

        ItemBatch batch = parse("[{\"id\":\"" + escaped + "\",\"tenant\":\"" + escaped + "\"}]");

        assertThat(batch.tenant(0)).isEqualTo(tenant);
        assertThat(batch.id(0)).isEqualTo(tenant);
    }

    @Test
    void parse_escapedSurrogatePair_decodesToEmoji() {
        ItemBatch batch = parse("[{\"id\":\"\\ud83d\\ude00\",\"tenant\":\"\\u00e9\"}]");

        assertThat(batch.id(0)).isEqualTo("😀");
        assertThat(batch.tenant(0)).isEqualTo("é");
    }

    @Test
    void parse_unknownExtraFields_ignored() {
        ItemBatch batch = parse("[{\"x\":1,\"id\":\"1\",\"meta\":{\"id\":\"nested\",\"tenant\":[1,{\"a\":null}]},"
                + "\"tenant\":\"t\",\"tags\":[\"id\",\"tenant\"],\"n\":null,\"b\":true}]");

        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.id(0)).isEqualTo("1");
        assertThat(batch.tenant(0)).isEqualTo("t");
    }

    @Test
    void parse_valueOfExactlyMaxValueBytes_accepted() {
        String id = "i".repeat(512);
        String tenant = "€".repeat(170) + "ab"; // 510 + 2 = 512 bytes

        ItemBatch batch = parse("[{\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\"}]");

        assertThat(batch.id(0)).isEqualTo(id);
        assertThat(batch.tenant(0)).isEqualTo(tenant);
    }

    // --- body-level problems ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"[{", "[{\"id\":}]", "[{\"id\":\"1\" \"tenant\":\"t\"}]", "{", "[", "[{\"id\":\"1\",\"tenant\":\"t\"}", "[{\"id\" \"1\"}]",
        "[{id:\"1\",tenant:\"t\"}]", "['1']", "[{\"id\":\"1\",\"tenant\":\"t\"},]", "nope", "[{\"id\":\"unterminated}]"})
    void parse_malformedJson_rejected400(String body) {
        assertBodyRejected(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void parse_emptyBody_rejected400(String body) {
        ApiException e = rejection(parser, utf8(body));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("empty body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":\"1\",\"tenant\":\"t\"}", "\"[]\"", "42", "1.5", "null", "true"})
    void parse_bodyNotAnArray_rejected400(String body) {
        assertBodyRejected(body);
        assertThat(rejection(parser, utf8(body)).getMessage()).contains("must be a JSON array");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[] x", "[]]", "[][]", "[] {}", "[] 1", "[]\"\""})
    void parse_trailingContentAfterArray_rejected400(String body) {
        assertBodyRejected(body);
    }

    // --- item-level problems ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\"s\"", "1", "null", "[]", "true", "[{\"id\":\"1\",\"tenant\":\"t\"}]"})
    void parse_elementNotAnObject_rejectedWithIndex(String element) {
        assertItemRejected("[" + element + "]", 0);
        assertItemRejected(third(element), 2);
    }

    @Test
    void parse_missingId_rejectedWithIndex() {
        assertThat(assertItemRejected(third("{\"tenant\":\"t\"}"), 2).getMessage()).contains("missing \"id\"");
        assertItemRejected("[{}]", 0);
    }

    @Test
    void parse_missingTenant_rejectedWithIndex() {
        assertThat(assertItemRejected("[" + OK + ",{\"id\":\"1\"}]", 1).getMessage()).contains("missing \"tenant\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "tenant"})
    void parse_nullField_rejectedWithIndex(String field) {
        String other = field.equals("id") ? "tenant" : "id";

        assertItemRejected(third("{\"" + field + "\":null,\"" + other + "\":\"x\"}"), 2);
        assertItemRejected(third("{\"" + other + "\":\"x\",\"" + field + "\":null}"), 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-1.5", "true", "false", "{}", "{\"a\":\"b\"}", "[]", "[\"a\"]"})
    void parse_nonStringId_rejectedWithIndex(String value) {
        assertThat(assertItemRejected(third("{\"id\":" + value + ",\"tenant\":\"t\"}"), 2).getMessage())
                .contains("\"id\" must be a non-empty string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-1.5", "true", "false", "{}", "{\"a\":\"b\"}", "[]", "[\"a\"]"})
    void parse_nonStringTenant_rejectedWithIndex(String value) {
        assertThat(assertItemRejected("[{\"id\":\"1\",\"tenant\":" + value + "}]", 0).getMessage())
                .contains("\"tenant\" must be a non-empty string");
    }

    @Test
    void parse_emptyStringId_rejectedWithIndex() {
        assertItemRejected(third("{\"id\":\"\",\"tenant\":\"t\"}"), 2);
    }

    @Test
    void parse_emptyStringTenant_rejectedWithIndex() {
        assertItemRejected("[" + OK + ",{\"id\":\"1\",\"tenant\":\"\"}]", 1);
    }

    @Test
    void parse_duplicateIdField_rejectedWithIndex() {
        assertThat(assertItemRejected(third("{\"id\":\"1\",\"tenant\":\"t\",\"id\":\"2\"}"), 2).getMessage())
                .contains("duplicate field \"id\"");
        assertItemRejected("[{\"id\":\"1\",\"id\":\"1\",\"tenant\":\"t\"}]", 0);
    }

    @Test
    void parse_duplicateTenantField_rejectedWithIndex() {
        assertThat(assertItemRejected("[{\"tenant\":\"a\",\"id\":\"1\",\"tenant\":\"b\"}]", 0).getMessage())
                .contains("duplicate field \"tenant\"");
    }

    @Test
    void parse_idOverMaxValueBytes_rejectedWithIndexAndLimit() {
        ApiException e = assertItemRejected(third("{\"id\":\"" + "i".repeat(513) + "\",\"tenant\":\"t\"}"), 2);

        assertThat(e.details()).containsEntry("limit", "max_value_bytes").containsEntry("max", 512);
        assertThat(e.getMessage()).contains("513 bytes");
    }

    @Test
    void parse_tenantOverMaxValueBytesInUtf8_rejectedWithIndex() {
        String tenant = "€".repeat(171); // 171 chars, 513 UTF-8 bytes

        ApiException e = assertItemRejected("[{\"id\":\"1\",\"tenant\":\"" + tenant + "\"}]", 0);

        assertThat(e.getMessage()).contains("513 bytes");
    }

    @Test
    void parse_emojiOverMaxValueBytes_rejectedWithIndex() {
        assertItemRejected("[{\"id\":\"" + "😀".repeat(129) + "\",\"tenant\":\"t\"}]", 0); // 516 bytes
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\ud800b", "\\ud800\\ud800", "\\ude00\\ud83d", "x\\udbff"})
    void parse_unpairedSurrogateEscape_rejectedWithIndex(String escaped) {
        assertThat(assertItemRejected(third("{\"id\":\"" + escaped + "\",\"tenant\":\"t\"}"), 2).getMessage())
                .contains("not valid Unicode");
        assertItemRejected("[{\"id\":\"1\",\"tenant\":\"" + escaped + "\"}]", 0);
    }

    private static byte[] withRawBytes(String before, byte[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        out.writeBytes(raw);
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    @Test
    void parse_invalidUtf8StartByte_rejected400() {
        byte[] body = withRawBytes("[{\"id\":\"", new byte[] {(byte) 0xff}, "\",\"tenant\":\"t\"}]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    @Test
    void parse_loneContinuationByte_rejected400() {
        byte[] body = withRawBytes("[{\"id\":\"a", new byte[] {(byte) 0x80}, "\",\"tenant\":\"t\"}]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    @Test
    void parse_truncatedMultiByteSequence_rejected400() {
        byte[] body = withRawBytes("[{\"id\":\"", new byte[] {(byte) 0xe2, (byte) 0x82}, "\",\"tenant\":\"t\"}]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    @Test
    void parse_utf8EncodedSurrogate_rejected400() {
        byte[] body = withRawBytes("[{\"id\":\"", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                "\",\"tenant\":\"t\"}]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    /** Overlong (forbidden) encodings of '/': accepting them would let different bytes name the same id. */
    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e080af", "f08080af", "c1bf"})
    void parse_overlongUtf8Encoding_rejected400(String hex) {
        byte[] raw = java.util.HexFormat.of().parseHex(hex);
        byte[] body = withRawBytes("[{\"id\":\"a", raw, "b\",\"tenant\":\"t\"}]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    @Test
    void parse_codePointAboveUnicodeRange_rejected400() {
        byte[] body = withRawBytes("[{\"id\":\"", new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                "\",\"tenant\":\"t\"}]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    @Test
    void parse_invalidUtf8OutsideStrings_rejected400() {
        byte[] body = withRawBytes("[", new byte[] {(byte) 0xc3, (byte) 0x28}, "]");

        assertThat(rejection(parser, body).status()).isEqualTo(400);
    }

    // --- limits -------------------------------------------------------------------------------------

    @Test
    void parse_bodyOverMaxBodyBytes_rejected413() {
        ItemParser small = new ItemParser(Limits.of(100, 1000, 512));
        String body = "[" + " ".repeat(99) + "]"; // 101 bytes of otherwise valid JSON

        ApiException e = rejection(small, utf8(body));

        assertThat(e.status()).isEqualTo(413);
        assertThat(e.details()).containsEntry("limit", "max_body_bytes").containsEntry("max", 100);
    }

    @Test
    void parse_bodyOfExactlyMaxBodyBytes_accepted() {
        ItemParser small = new ItemParser(Limits.of(100, 1000, 512));
        String body = "[" + " ".repeat(98) + "]";

        assertThat(small.parse(utf8(body)).size()).isZero();
    }

    @Test
    void parse_moreThanMaxItems_rejected413() {
        ItemParser small = new ItemParser(Limits.of(1 << 20, 3, 512));

        ApiException e = rejection(small, utf8("[" + OK + "," + OK + "," + OK + "," + OK + "]"));

        assertThat(e.status()).isEqualTo(413);
        assertThat(e.details()).containsEntry("limit", "max_items").containsEntry("max", 3);
    }

    @Test
    void parse_exactlyMaxItems_accepted() {
        ItemParser small = new ItemParser(Limits.of(1 << 20, 3, 512));

        assertThat(small.parse(utf8("[" + OK + "," + OK + "," + OK + "]")).size()).isEqualTo(3);
    }

    @Test
    void parse_smallMaxValueBytes_countsUtf8BytesNotChars() {
        ItemParser small = new ItemParser(Limits.of(1 << 20, 10, 3));

        assertThat(small.parse(utf8("[{\"id\":\"€\",\"tenant\":\"abc\"}]")).size()).isEqualTo(1);
        ApiException e = rejection(small, utf8("[{\"id\":\"é\",\"tenant\":\"ab\"},{\"id\":\"1\",\"tenant\":\"éé\"}]"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).containsEntry("index", 1).containsEntry("max", 3);
    }

    @Test
    void parse_manyItems_growsBeyondInitialCapacity() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"tenant\":\"t").append(i % 7).append("\"}");
        }

        ItemBatch batch = parse(body.append("]").toString());

        assertThat(batch.size()).isEqualTo(1000);
        assertThat(batch.id(999)).isEqualTo("999");
        assertThat(batch.tenant(999)).isEqualTo("t" + (999 % 7));
    }
}
