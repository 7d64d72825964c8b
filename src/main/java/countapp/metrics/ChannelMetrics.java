package countapp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The worker's end of the coordinator channel: {@code countapp_channel_frames_total} (request frames
 * served) and {@code countapp_channel_operations_total} (the adds and counts they carried). Their ratio is
 * how many client operations one internal round trip serves.
 */
public final class ChannelMetrics {
    private final Counter frames;
    private final Counter operations;

    public ChannelMetrics(MeterRegistry registry) {
        frames = Counter.builder("countapp.channel.frames")
                .description("request frames received from coordinators").register(registry);
        operations = Counter.builder("countapp.channel.operations")
                .description("adds and counts carried by those frames").register(registry);
    }

    public void frame(int ops) {
        frames.increment();
        operations.increment(ops);
    }
}
