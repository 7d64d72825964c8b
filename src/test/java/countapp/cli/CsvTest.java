package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CsvTest {
    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "acme          | acme",
        "'with space'  | 'with space'",
        "'a,b'         | '\"a,b\"'",
        "'say \"hi\"'  | '\"say \"\"hi\"\"\"'",
        "'\"'          | '\"\"\"\"'",
        "'héllo; ünïcode' | 'héllo; ünïcode'",
    })
    void field_specialCharacters_quotedPerRfc4180OnlyWhenNeeded(String value, String written) {
        assertThat(Csv.field(value)).isEqualTo(written);
    }

    @Test
    void field_lineBreaks_quotedAndKeptInside() {
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("cr\rhere")).isEqualTo("\"cr\rhere\"");
    }

    @Test
    void csvRecord_jsonLine_tenantQuotedCountPlainCrlfEnd() throws Exception {
        assertThat(ExportCommand.csvRecord("{\"tenant\":\"acme, inc\",\"count\":12}")).isEqualTo("\"acme, inc\",12\r\n");
        assertThat(ExportCommand.csvRecord("{\"tenant\":\"t1\",\"count\":0}")).isEqualTo("t1,0\r\n");
    }

    @Test
    void csvRecord_lineWithoutCount_failsNamingTheLine() {
        assertThatThrownBy(() -> ExportCommand.csvRecord("{\"tenant\":\"t1\"}"))
                .isInstanceOf(CliException.class).hasMessageContaining("{\"tenant\":\"t1\"}");
        assertThatThrownBy(() -> ExportCommand.csvRecord("not json"))
                .isInstanceOf(CliException.class).hasMessageContaining("unexpected export line: not json");
    }
}
