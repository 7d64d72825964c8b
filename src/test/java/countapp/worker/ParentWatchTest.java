package countapp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parent check stops a worker only on a positive sign that its coordinator is gone (issue 19, fault 8). */
@Timeout(30)
class ParentWatchTest {
    @Test
    void check_liveParent_alive() throws Exception {
        Process parent = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(new ParentWatch(parent.pid()).check()).isEqualTo(ParentWatch.Verdict.ALIVE);
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void check_parentExited_gone() throws Exception {
        Process parent = new ProcessBuilder("sleep", "30").start();
        ParentWatch watch = new ParentWatch(parent.pid());
        parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // reaped: its /proc entry is gone

        assertThat(watch.check()).isEqualTo(ParentWatch.Verdict.GONE);
    }

    @Test
    void issue19_check_processTableUnreadable_neverGone() throws Exception {
        Process parent = new ProcessBuilder("sleep", "30").start();
        try {
            // What the JDK answers when it cannot open /proc/<pid>/stat (file descriptors exhausted): no process.
            ParentWatch watch = new ParentWatch(parent.pid(), pid -> Optional.empty());

            assertThat(watch.check()).isEqualTo(ParentWatch.Verdict.UNKNOWN);
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
