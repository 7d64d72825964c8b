package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerLauncherTest {
    private static final long GIB = 1L << 30;

    @Test
    void heapCeilingMb_embedded_localWorkersShareHalfOfTheMemory() {
        assertThat(WorkerLauncher.heapCeilingMb(24 * GIB, 2, true)).isEqualTo(6 * 1024);
        assertThat(WorkerLauncher.heapCeilingMb(24 * GIB, 0, true)).as("only remote workers").isEqualTo(12 * 1024);
    }

    @Test
    void heapCeilingMb_smallOrHugeMachines_clampedBetween512MbAnd31Gb() {
        assertThat(WorkerLauncher.heapCeilingMb(2 * GIB, 8, true)).isEqualTo(512);
        assertThat(WorkerLauncher.heapCeilingMb(1024 * GIB, 1, true)).isEqualTo(31 * 1024);
        assertThat(WorkerLauncher.heapCeilingMb(-1, 2, true)).as("memory unknown").isEqualTo(512);
    }

    @Test
    void heapCeilingMb_redis_noIndexOnTheHeap_512Mb() {
        assertThat(WorkerLauncher.heapCeilingMb(24 * GIB, 2, false)).isEqualTo(512);
    }
}
