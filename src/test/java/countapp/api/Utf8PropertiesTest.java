package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Utf8#firstInvalid} must agree with the JDK's strict decoder on every byte string. */
class Utf8PropertiesTest {

    /** Bytes biased towards the interesting ones: lead bytes, their boundaries and continuation bytes. */
    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 0x41, (byte) 0x7f, (byte) 0x80, (byte) 0x8f, (byte) 0x90,
                (byte) 0x9f, (byte) 0xa0, (byte) 0xbf, (byte) 0xc0, (byte) 0xc1, (byte) 0xc2, (byte) 0xdf, (byte) 0xe0,
                (byte) 0xed, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xff);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, any))
                .array(byte[].class).ofMaxSize(12);
    }

    @Property(tries = 3000)
    void firstInvalid_anyBytes_agreesWithStrictDecoder(@ForAll("bytes") byte[] bytes) {
        boolean jdkAccepts;
        try {
            Utf8.decode(bytes);
            jdkAccepts = true;
        } catch (CharacterCodingException e) {
            jdkAccepts = false;
        }

        assertThat(Utf8.firstInvalid(bytes) < 0).isEqualTo(jdkAccepts);
    }

    @Property(tries = 500)
    void firstInvalid_encodedText_isMinusOne(@ForAll String text) {
        // Strings may hold unpaired surrogates, which getBytes replaces by '?': the result is still well-formed.
        assertThat(Utf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }
}
