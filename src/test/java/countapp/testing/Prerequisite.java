package countapp.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs (redis-server, Chromium). On a developer's machine without it the test is reported
 * as skipped; where {@code COUNTAPP_TESTS_REQUIRE_ALL=1} (CI sets it), it fails, so a green CI run never
 * hides a test that did not run.
 */
public final class Prerequisite {
    private Prerequisite() {}

    public static void require(boolean present, String what) {
        if (!present && "1".equals(System.getenv("COUNTAPP_TESTS_REQUIRE_ALL"))) {
            fail(what + ", and COUNTAPP_TESTS_REQUIRE_ALL=1 asks every test to run");
        }
        Assumptions.assumeTrue(present, what + ": test skipped");
    }

    /** Whether {@code program} is an executable file in a folder of the PATH. */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
