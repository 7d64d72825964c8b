package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusalLogTest {
    @TempDir
    Path dir;

    @Test
    void issue22_isNews_sameFileSameReason_onlyTheFirstTime() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), "workers: nope\n");
        RefusalLog log = new RefusalLog();

        assertThat(log.isNews(file, "workers: bad")).isTrue();
        assertThat(log.isNews(file, "workers: bad")).isFalse();
        assertThat(log.isNews(file, "workers: bad")).isFalse();
    }

    @Test
    void isNews_fileEditedOrOtherReason_newsAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), "workers: nope\n");
        RefusalLog log = new RefusalLog();
        log.isNews(file, "workers: bad");

        assertThat(log.isNews(file, "listen: bad")).as("another reason").isTrue();
        Files.writeString(file, "workers: nope again\n");
        assertThat(log.isNews(file, "listen: bad")).as("the file changed size").isTrue();
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(log.isNews(file, "listen: bad")).as("the file was touched").isTrue();
        assertThat(log.isNews(file, "listen: bad")).isFalse();
    }

    @Test
    void isNews_afterAGoodRead_newsAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), "workers: nope\n");
        RefusalLog log = new RefusalLog();
        log.isNews(file, "workers: bad");

        log.accepted();

        assertThat(log.isNews(file, "workers: bad")).isTrue();
    }
}
