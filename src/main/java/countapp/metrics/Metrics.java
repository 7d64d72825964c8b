package countapp.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * One process's meters, served in the Prometheus text format on {@code GET /metrics}.
 *
 * <p>Every meter name is prefixed {@code countapp_}, including the JVM and process meters, so one
 * {@code {__name__=~"countapp_.*"}} selects everything a CountApp process exports.
 */
public final class Metrics implements AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String PREFIX = "countapp.";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private Metrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The filter must be in place before the first meter registers: filters apply at registration.
        registry.config().meterFilter(prefixed());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** A registry with the JVM and process meters bound. */
    public static Metrics create() {
        return new Metrics();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Answers {@code GET /metrics}. */
    public void serve(HttpServerRequest req) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(scrape());
    }

    static MeterFilter prefixed() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        };
    }

    @Override
    public void close() {
        gc.close(); // unregisters its GC notification listeners
        registry.close();
    }
}
