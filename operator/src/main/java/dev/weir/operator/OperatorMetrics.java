package dev.weir.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.DoubleStream;

/**
 * The operator's numbers, as Micrometer meters on a Prometheus registry (JOSDK's reconciliation metrics join
 * them there). Exposed names: {@code weir_operator_passes_total}, {@code weir_operator_pass_seconds} (a
 * histogram), and so on: Micrometer appends {@code _total} to counters and {@code _seconds} to timers.
 */
public final class OperatorMetrics {
    /** Histogram bucket bounds, 1 ms to 60 s: enough to read p50 and p99 with {@code histogram_quantile}. */
    static final Duration[] BUCKETS = DoubleStream.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .mapToObj(seconds -> Duration.ofNanos(Math.round(seconds * 1e9))).toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry;
    final Counter passes;
    final Counter failedPasses;
    final Timer passSeconds;
    final Timer compileSeconds;
    final Counter objectsWritten;
    final AtomicLong lastPassNanos = new AtomicLong();
    final AtomicLong generation = new AtomicLong();
    final AtomicLong programs = new AtomicLong();
    final AtomicLong identities = new AtomicLong();
    final AtomicLong refusedPolicies = new AtomicLong();

    public OperatorMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public OperatorMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        passes = counter("weir.operator.passes", "Compile-and-publish passes that completed.");
        failedPasses = counter("weir.operator.failed.passes", "Passes that failed (the published state was left alone).");
        passSeconds = timer("weir.operator.pass", "Duration of a pass: read the caches, compile, publish (a burst of changes is one pass).");
        compileSeconds = timer("weir.operator.compile", "Duration of the compile within a pass.");
        TimeGauge.builder("weir.operator.last.pass", lastPassNanos, TimeUnit.NANOSECONDS, AtomicLong::get)
                .description("Duration of the last pass.").register(registry);
        objectsWritten = counter("weir.operator.objects.written", "Weir objects created, replaced or deleted.");
        gauge("weir.operator.generation", "The generation last published.", generation);
        gauge("weir.operator.programs", "Distinct programs published.", programs);
        gauge("weir.operator.identities", "Identities in use.", identities);
        gauge("weir.operator.refused.policies", "NetworkPolicies with problems (reported as Events).", refusedPolicies);
    }

    /** Where the meters live: served on /metrics, and shared with JOSDK's own. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    private Timer timer(String name, String help) {
        return Timer.builder(name).description(help).serviceLevelObjectives(BUCKETS).register(registry);
    }

    private void gauge(String name, String help, AtomicLong value) {
        Gauge.builder(name, value, AtomicLong::get).description(help).strongReference(true).register(registry);
    }
}
