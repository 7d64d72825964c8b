package countapp.client;

import java.time.Duration;

/** The clock and the sleep of the retry loop, so tests can run it on a fake clock. */
interface Time {
    Time SYSTEM = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
    };

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;
}
