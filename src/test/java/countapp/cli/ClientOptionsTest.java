package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    @Test
    void key_countappKeySet_usedOverTheOldName() {
        assertThat(ClientOptions.key(Map.of("COUNTAPP_KEY", "new-key", "COUNTAPP_API_KEY", "old-key"))).isEqualTo("new-key");
    }

    @Test
    void key_onlyTheOldNameSet_stillRead() {
        assertThat(ClientOptions.key(Map.of("COUNTAPP_API_KEY", "old-key"))).isEqualTo("old-key");
        assertThat(ClientOptions.key(Map.of("COUNTAPP_KEY", " ", "COUNTAPP_API_KEY", "old-key"))).isEqualTo("old-key");
    }

    @Test
    void key_noneSet_null() {
        assertThat(ClientOptions.key(Map.of())).isNull();
    }
}
