package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "é", "€", "😀", "a€😀é\u0000", "\uffff", "\ud7ff", "\ue000", "\udbff\udfff"})
    void encodedLength_wellFormedText_equalsUtf8ByteCount(String s) {
        assertThat(Utf8.encodedLength(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "\udc00", "a\ud800", "\ud800a", "\udc00\ud800", "😀\udfff"})
    void encodedLength_unpairedSurrogate_isMinusOne(String s) {
        assertThat(Utf8.encodedLength(s)).isEqualTo(-1);
    }

    @Test
    void decode_wellFormedBytes_returnsText() throws CharacterCodingException {
        assertThat(Utf8.decode("a€😀".getBytes(StandardCharsets.UTF_8))).isEqualTo("a€😀");
    }

    @Test
    void decode_malformedBytes_throwsInsteadOfReplacing() {
        assertThatThrownBy(() -> Utf8.decode(new byte[] {'a', (byte) 0xff})).isInstanceOf(CharacterCodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c2a2", "dfbf", "e0a080", "e282ac", "ed9fbf", "ee8080", "efbfbf", "f0908080",
        "f09f9880", "f48fbfbf", "00417f"})
    void firstInvalid_wellFormed_isMinusOne(String hex) {
        assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "80, 0",          // lone continuation byte
        "41ff, 1",        // never valid
        "c0af, 0",        // overlong '/'
        "c1bf, 0",        // overlong
        "e080af, 0",      // overlong 3-byte
        "f08080af, 0",    // overlong 4-byte
        "eda080, 0",      // UTF-16 surrogate D800
        "edbfbf, 0",      // surrogate DFFF
        "f4908080, 0",    // above U+10FFFF
        "f5808080, 0",    // never valid lead
        "4142e282, 2",    // truncated at the end
        "c328, 0",        // bad continuation
        "e228a1, 0",
        "e282ac41c3, 4",
    })
    void firstInvalid_malformed_pointsAtOffendingSequence(String hex, int offset) {
        assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(offset);
    }
}
