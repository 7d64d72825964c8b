package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

/** Config text parsed as a file in {@code dir} would be: accepted, refused, or loaded then edited and reloaded. */
final class ConfigText {
    private ConfigText() {}

    static Config parse(Path dir, String text) throws ConfigException {
        return ConfigLoader.parse(text, dir.resolve("config.yaml"));
    }

    /** The refusal's message; fails when {@code text} is accepted. */
    static String problems(Path dir, String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(dir, text));
        assertThat(e).as("config must be rejected:%n%s", text).isNotNull();
        return e.getMessage();
    }

    /** Starts from {@code first}, then writes {@code edited} over it; the config in force after the start. */
    static Config startThenEdit(Path dir, String first, String edited) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, first);
        Config inForce = ConfigLoader.load(file);
        Files.writeString(file, edited);
        return inForce;
    }
}
