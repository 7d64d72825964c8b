package countapp.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class Format1KeysPropertiesTest {

    /** Any well-formed Unicode text, including control characters, the separators a naive layout would use, and long strings. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> anyBmp = Arbitraries.strings()
                .withCharRange('\u0000', '\ud7ff')
                .withCharRange('\ue000', '\uffff')
                .ofMaxLength(300);
        Arbitrary<String> small = Arbitraries.strings().withChars("ab/:\u0000\u0001\u0080é€").ofMaxLength(6);
        Arbitrary<String> emoji = Arbitraries.of("😀", "a😀", "😀😀b");
        return Arbitraries.oneOf(anyBmp, small, small, emoji);
    }

    @Property(tries = 500)
    void itemKey_anyPair_roundTrips(@ForAll("text") String tenant, @ForAll("text") String id) {
        byte[] key = Format1Keys.itemKey(tenant.getBytes(StandardCharsets.UTF_8), id);

        assertThat(Format1Keys.tenantOf(key)).isEqualTo(tenant);
        assertThat(Format1Keys.idOf(key)).isEqualTo(id);
        byte[] prefix = Format1Keys.itemPrefix(tenant.getBytes(StandardCharsets.UTF_8));
        assertThat(Arrays.copyOf(key, prefix.length)).isEqualTo(prefix);
    }

    @Property(tries = 500)
    void itemKey_differentPairs_differentKeys(@ForAll("text") String t1, @ForAll("text") String i1,
            @ForAll("text") String t2, @ForAll("text") String i2) {
        byte[] k1 = Format1Keys.itemKey(t1.getBytes(StandardCharsets.UTF_8), i1);
        byte[] k2 = Format1Keys.itemKey(t2.getBytes(StandardCharsets.UTF_8), i2);

        assertThat(Arrays.equals(k1, k2)).isEqualTo(t1.equals(t2) && i1.equals(i2));
    }

    @Property(tries = 300)
    void itemKey_splitOfSameText_differentKeys(@ForAll("text") String text, @ForAll int cutSeed) {
        if (text.length() < 2) {
            return;
        }
        int cut = 1 + Math.floorMod(cutSeed, text.length() - 1);
        if (Character.isLowSurrogate(text.charAt(cut))) {
            return;
        }
        byte[] whole = Format1Keys.itemKey(text.substring(0, cut).getBytes(StandardCharsets.UTF_8), text.substring(cut));
        byte[] shifted = Format1Keys.itemKey(text.substring(0, cut - 1).getBytes(StandardCharsets.UTF_8),
                text.substring(cut - 1));

        assertThat(whole).isNotEqualTo(shifted);
    }

    @Property(tries = 300)
    void encodeCount_anyLong_roundTrips(@ForAll long value) {
        assertThat(Format1Keys.decodeCount(Format1Keys.encodeCount(value))).isEqualTo(value);
    }
}
