package countapp.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** A clock that only moves when the retry loop sleeps, and a jitter source pinned to its lowest or highest draw. */
final class FakeTime implements Time {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        now.addAndGet(duration.toNanos());
    }

    /** A generator whose bounded draws are all {@code bound - 1} (high) or 0 (low). */
    static RandomGenerator pinned(boolean high) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return high ? bound - 1 : 0;
            }
        };
    }
    /** A sleep that may throw, as {@link Time#sleep} may. */
    @FunctionalInterface
    interface Sleep {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** This clock with {@code sleep} in place of its own (which only moves the clock). */
    Time sleepingAs(Sleep sleep) {
        FakeTime clock = this;
        return new Time() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                sleep.sleep(duration);
            }
        };
    }
}
