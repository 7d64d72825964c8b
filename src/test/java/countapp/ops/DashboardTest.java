package countapp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardTest {
    private static String page() throws Exception {
        try (InputStream in = Dashboard.class.getResourceAsStream(Dashboard.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void page_everyFetch_sendsSameOriginCredentials() throws Exception {
        String page = page();
        Matcher fetch = Pattern.compile("fetch\\(([^;]*)\\)").matcher(page);

        int calls = 0;
        while (fetch.find()) {
            calls++;
            assertThat(fetch.group(1)).as("with auth on, the browser's Basic credentials must go along").endsWith(", FETCH");
        }
        assertThat(calls).isEqualTo(3);
        assertThat(page).contains("const FETCH = { cache: \"no-store\", credentials: \"same-origin\" };");
    }

    @Test
    void page_showsStartOnlyKeysPendingARestart() throws Exception {
        assertThat(page()).contains("c.pending_restart").contains("changed on disk, restart to apply");
    }
}
