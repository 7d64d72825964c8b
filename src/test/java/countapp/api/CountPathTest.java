package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CountPathTest {

    @Test
    void tenant_plainCountPath_returnsTenant() {
        assertThat(CountPath.tenant("/items/t1/count")).isEqualTo("t1");
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "/items/a%2Fb/count|a/b",
        "/items/a%2fb/count|a/b",
        "/items/a+b/count|a+b",
        "/items/%E2%82%AC/count|€",
        "/items/%e2%82%acuro/count|€uro",
        "/items/%F0%9F%98%80/count|😀",
        "/items/%20spaces%20/count|' spaces '",
        "/items/..%2Fx/count|../x",
        "/items/%25/count|%",
        "/items/100%25/count|100%",
        "/items/%2B/count|+",
        "/items/%41%42/count|AB",
        "/items/€%20/count|'€ '",
    })
    void tenant_percentEncoded_isDecoded(String rawPath, String expected) {
        assertThat(CountPath.tenant(rawPath)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/items/a/b/count|a/b",
        "/items/../x/count|../x",
        "/items/a/count/count|a/count",
        "/items/count/count|count",
    })
    void tenant_unencodedSlash_isPartOfTenant(String rawPath, String expected) {
        assertThat(CountPath.tenant(rawPath)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/items/count", "/items//count", "/items/t1", "/items/t1/", "/other/t1/count",
        "/items/t1/count/", "/items/t1/counts", "items/t1/count", "/items", "/", "", "/ITEMS/t1/count"})
    void tenant_notACountPath_isNull(String rawPath) {
        assertThat(CountPath.tenant(rawPath)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/items/%zz/count", "/items/%4/count", "/items/a%4/count", "/items/%/count",
        "/items/a%/count", "/items/%4g/count", "/items/%g4/count", "/items/%ff/count", "/items/%C3/count",
        "/items/%C3%28/count", "/items/%ED%A0%80/count", "/items/%C0%AF/count", "/items/%80/count"})
    void tenant_badEscape_throws400(String rawPath) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> CountPath.tenant(rawPath));

        assertThat(e).as("rejects %s", rawPath).isNotNull();
        assertThat(e.status()).isEqualTo(400);
    }
}
