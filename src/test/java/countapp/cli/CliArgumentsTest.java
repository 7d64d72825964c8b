package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Argument checks of count, export and erase, which must fail before any request: the URL is a listening
 * socket that never answers, so a request that slipped through would time out instead of failing fast.
 */
class CliArgumentsTest {
    static ServerSocket silent;
    static String url;

    @BeforeAll
    static void listen() throws IOException {
        silent = new ServerSocket(0);
        url = "http://localhost:" + silent.getLocalPort();
    }

    @AfterAll
    static void close() throws IOException {
        silent.close();
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withUrl = new String[args.length + 4];
        System.arraycopy(args, 0, withUrl, 0, args.length);
        System.arraycopy(new String[] {"--url", url, "--timeout", "2"}, 0, withUrl, args.length, 4);
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(withUrl);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void count_atWithoutWindow_usageErrorBeforeAnyRequest() {
        Run r = run("count", "t1", "--at", "2026-11-28");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("countapp count: --at needs --window day or --window month\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void count_windowAndRangeTogether_usageError() {
        Run r = run("count", "t1", "--window", "day", "--at", "2026-11-28", "--from", "2026-11-01", "--to", "2026-11-02");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not both");
    }

    @Test
    void export_unknownFormat_usageError() {
        Run r = run("export", "--window", "day", "--at", "2026-11-28", "--format", "xml");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("countapp export: --format must be csv or jsonl, got \"xml\"\n");
    }

    @Test
    void export_monthWithADay_usageError() {
        Run r = run("export", "--window", "month", "--at", "2026-11-28");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--at must be a UTC month as YYYY-MM with --window month");
    }

    @Test
    void export_rangeOptions_rejectedByPicocli() {
        Run r = run("export", "--from", "2026-11-01", "--to", "2026-11-02");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options");
    }

    @Test
    void erase_tenantWithoutIdOrAllIds_refusedSoNothingIsWiped() {
        Run r = run("erase", "acme");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("countapp erase: no ID given: to erase every id of tenant acme, add --all-ids\n");
    }

    @Test
    void erase_idAndAllIds_refusedAsAmbiguous() {
        Run r = run("erase", "acme", "u1", "--all-ids");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give an ID or --all-ids, not both");
    }

    @Test
    void erase_emptyId_refused() {
        Run r = run("erase", "acme", "");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("ID must not be empty");
    }

    @Test
    void erase_threeArguments_rejectedByPicocli() {
        Run r = run("erase", "acme", "u1", "u2");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument");
    }

    @Test
    void segment_dotSegments_encodedSoNoProxyResolvesThem() {
        assertThat(ApiClient.segment("..")).isEqualTo("%2E%2E");
        assertThat(ApiClient.segment(".")).isEqualTo("%2E");
        assertThat(ApiClient.segment("a.b")).isEqualTo("a.b");
        assertThat(ApiClient.segment("a/b c+d")).isEqualTo("a%2Fb%20c%2Bd");
    }
}
