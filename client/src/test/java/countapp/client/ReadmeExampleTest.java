package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's example is the compiled {@code QuickStart}, line for line (ClientIT runs it against a cluster). */
class ReadmeExampleTest {
    @Test
    void readmeExample_sameLinesAsTheCompiledQuickStart() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/countapp/client/example/QuickStart.java"));
        List<String> marked = source.subList(source.indexOf("        // README:begin") + 1,
                source.indexOf("        // README:end"));
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("<!-- QuickStart")) + "```java\n".length();
        List<String> quoted = readme.substring(start, readme.indexOf("```\n", start)).lines().collect(Collectors.toList());

        assertThat(marked).isNotEmpty();
        assertThat(quoted).containsExactlyElementsOf(marked.stream()
                .map(l -> l.startsWith("        ") ? l.substring(8) : l).collect(Collectors.toList()));
    }
}
