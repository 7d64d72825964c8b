package countapp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleTrimTest {
    private final AtomicLong finished = new AtomicLong();
    private final AtomicInteger trims = new AtomicInteger();
    private final IdleTrim idle = new IdleTrim(finished::get, trims::incrementAndGet);

    @Test
    void tick_neverServedAnything_neverTrims() {
        for (int i = 0; i < 10; i++) {
            idle.tick();
        }
        assertThat(trims).hasValue(0);
    }

    @Test
    void tick_quietForTwoTicksAfterRequests_trimsOnce() {
        finished.addAndGet(5);
        assertThat(idle.tick()).isFalse(); // saw traffic
        assertThat(idle.tick()).isFalse(); // quiet 1
        assertThat(idle.tick()).isTrue(); // quiet 2: trim
        for (int i = 0; i < 10; i++) {
            assertThat(idle.tick()).isFalse(); // still the same idle spell
        }
        assertThat(trims).hasValue(1);
    }

    @Test
    void tick_trafficKeepsComing_neverTrims() {
        for (int i = 0; i < 10; i++) {
            finished.incrementAndGet();
            idle.tick();
        }
        assertThat(trims).hasValue(0);
    }

    @Test
    void tick_newTrafficAfterATrim_trimsAgainWhenQuiet() {
        finished.incrementAndGet();
        idle.tick();
        idle.tick();
        idle.tick();
        finished.incrementAndGet();
        idle.tick();
        idle.tick();
        boolean trimmed = idle.tick();

        assertThat(trimmed).isTrue();
        assertThat(trims).hasValue(2);
    }
}
