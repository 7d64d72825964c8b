package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessProbeTest {
    @Test
    void parse_runningProcess_cpuTicksAreUserPlusSystem() {
        ProcessProbe.Sample s = ProcessProbe.parse(
                "4242 (java) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1200 345 0 0 20 0 30 0 100 0 0");
        assertThat(s.known()).isTrue();
        assertThat(s.stopped()).isFalse();
        assertThat(s.cpuTicks()).isEqualTo(1545);
    }

    @Test
    void parse_stoppedProcessWithSpacesAndParensInName_stopped() {
        ProcessProbe.Sample s = ProcessProbe.parse(
                "4242 (my (odd) name) T 1 4242 4242 0 -1 4194560 5000 0 0 0 7 3 0 0 20 0 30 0 100 0 0");
        assertThat(s.stopped()).isTrue();
        assertThat(s.cpuTicks()).isEqualTo(10);
    }

    @Test
    void parse_garbage_unknown() {
        assertThat(ProcessProbe.parse("nonsense").known()).isFalse();
    }

    @Test
    void progressedSince_unknownSample_neverProgress() {
        ProcessProbe.Sample later = new ProcessProbe.Sample(true, false, 20);
        assertThat(later.progressedSince(ProcessProbe.Sample.UNKNOWN)).isFalse();
        assertThat(later.progressedSince(new ProcessProbe.Sample(true, false, 10))).isTrue();
        assertThat(later.progressedSince(new ProcessProbe.Sample(true, false, 20))).isFalse();
    }

    @Test
    void sample_thisProcess_readsProc() {
        ProcessProbe.Sample s = ProcessProbe.PROC.sample(new SupervisorTest.FakeProcess(ProcessHandle.current().pid()));
        assertThat(s.known()).isTrue();
        assertThat(s.stopped()).isFalse();
        assertThat(s.cpuTicks()).isPositive();
    }
}
