package countapp.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The key layout of format 1, which the converter reads and the fixtures write. */
class Format1KeysTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @ParameterizedTest(name = "tenant \"{0}\" id \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "t|1",
        "acme|u-17",
        "a/b|../x",
        "' spaces '|' '",
        "😀|€",
        "t|",
        "tenant|'\u0000\u0001\u0002'",
    })
    void itemKey_anyPair_roundTripsTenantAndId(String tenant, String id) {
        String actualId = id == null ? "" : id;
        byte[] key = Format1Keys.itemKey(utf8(tenant), actualId);

        assertThat(key[0]).isEqualTo(Format1Keys.ITEM);
        assertThat(Format1Keys.tenantOf(key)).isEqualTo(tenant);
        assertThat(Format1Keys.idOf(key)).isEqualTo(actualId);
    }

    @Test
    void itemKey_sameConcatenationDifferentSplit_keysDiffer() {
        byte[] aBc = Format1Keys.itemKey(utf8("a"), "bc");
        byte[] abC = Format1Keys.itemKey(utf8("ab"), "c");

        assertThat(aBc).isNotEqualTo(abC);
        assertThat(Format1Keys.tenantOf(aBc)).isEqualTo("a");
        assertThat(Format1Keys.idOf(aBc)).isEqualTo("bc");
        assertThat(Format1Keys.tenantOf(abC)).isEqualTo("ab");
        assertThat(Format1Keys.idOf(abC)).isEqualTo("c");
    }

    @Test
    void itemKey_tenantContainingLengthLikeBytes_staysUnambiguous() {
        // A tenant whose bytes look like a varint length plus another tenant must not collide.
        byte[] k1 = Format1Keys.itemKey(utf8("a\u0001b"), "c");
        byte[] k2 = Format1Keys.itemKey(utf8("a"), "\u0001bc");

        assertThat(k1).isNotEqualTo(k2);
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 128, 200, 300, 16383, 16384, 20000})
    void itemKey_longTenant_usesMultiByteVarintAndRoundTrips(int length) {
        String tenant = "x".repeat(length);
        byte[] key = Format1Keys.itemKey(utf8(tenant), "id-1");

        int varintBytes = length < 128 ? 1 : length < 16384 ? 2 : 3;
        assertThat(key).hasSize(1 + varintBytes + length + 4);
        assertThat(Format1Keys.tenantOf(key)).isEqualTo(tenant);
        assertThat(Format1Keys.idOf(key)).isEqualTo("id-1");
    }

    @Test
    void itemKey_tenantOf200Bytes_hasTwoByteLittleEndianVarint() {
        byte[] key = Format1Keys.itemKey(utf8("y".repeat(200)), "i");

        // 200 = 0b1_1001000: low 7 bits with the continuation bit, then 1.
        assertThat(key[1]).isEqualTo((byte) (0x80 | (200 & 0x7f)));
        assertThat(key[2]).isEqualTo((byte) 1);
        assertThat(key[3]).isEqualTo((byte) 'y');
    }

    @Test
    void itemKey_layout_matchesDocumentedFormat() {
        assertThat(Format1Keys.itemKey(utf8("ab"), "c")).containsExactly(2, 2, 'a', 'b', 'c');
        assertThat(Format1Keys.countKey(utf8("ab"))).containsExactly(1, 2, 'a', 'b');
        assertThat(Format1Keys.itemPrefix(utf8("ab"))).containsExactly(2, 2, 'a', 'b');
    }

    @Test
    void itemKey_multiByteUtf8Tenant_lengthCountsBytes() {
        byte[] key = Format1Keys.itemKey(utf8("€"), "i");

        assertThat(key[1]).isEqualTo((byte) 3);
        assertThat(Format1Keys.tenantOf(key)).isEqualTo("€");
    }

    @Test
    void countKey_tenant_roundTripsAndDiffersFromItemKeys() {
        byte[] count = Format1Keys.countKey(utf8("acme"));

        assertThat(count[0]).isEqualTo(Format1Keys.COUNT);
        assertThat(Format1Keys.tenantOf(count)).isEqualTo("acme");
        assertThat(startsWith(count, Format1Keys.itemPrefix(utf8("acme")))).isFalse();
        assertThat(startsWith(Format1Keys.itemKey(utf8("acme"), ""), count)).isFalse();
    }

    @Test
    void itemPrefix_tenant_prefixesOnlyThatTenantsItems() {
        byte[] prefix = Format1Keys.itemPrefix(utf8("ab"));

        assertThat(startsWith(Format1Keys.itemKey(utf8("ab"), "c"), prefix)).isTrue();
        assertThat(startsWith(Format1Keys.itemKey(utf8("ab"), ""), prefix)).isTrue();
        assertThat(startsWith(Format1Keys.itemKey(utf8("ab"), "ab"), prefix)).isTrue();
        assertThat(startsWith(Format1Keys.itemKey(utf8("a"), "bc"), prefix)).isFalse();
        assertThat(startsWith(Format1Keys.itemKey(utf8("abc"), "c"), prefix)).isFalse();
        assertThat(startsWith(Format1Keys.itemKey(utf8("b"), "ab"), prefix)).isFalse();
        assertThat(startsWith(Format1Keys.countKey(utf8("ab")), prefix)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 255, 256, 65_535, 1L << 32, Long.MAX_VALUE, -1})
    void encodeCount_anyValue_decodesToSameValue(long value) {
        byte[] encoded = Format1Keys.encodeCount(value);

        assertThat(encoded).hasSize(8);
        assertThat(Format1Keys.decodeCount(encoded)).isEqualTo(value);
    }

    @Test
    void encodeCount_value_isBigEndian() {
        assertThat(Format1Keys.encodeCount(0x0102030405060708L)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void decodeCount_null_isZero() {
        assertThat(Format1Keys.decodeCount(null)).isZero();
    }

    @Test
    void decodeCount_wrongLength_throwsStoreException() {
        assertThatThrownBy(() -> Format1Keys.decodeCount(new byte[4])).isInstanceOf(StoreException.class);
    }
}
