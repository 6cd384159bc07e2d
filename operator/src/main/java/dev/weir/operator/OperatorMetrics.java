package dev.weir.operator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's numbers, in Prometheus' text format. A handful of counters, gauges and two histograms need
 * no metrics library: each is an atomic, and {@link #render} writes them out.
 */
public final class OperatorMetrics {
    final AtomicLong passes = new AtomicLong();
    final AtomicLong failedPasses = new AtomicLong();
    final Histogram passSeconds = new Histogram("weir_operator_pass_seconds",
            "Duration of a pass: read the caches, compile, publish (a burst of changes is one pass).");
    final Histogram compileSeconds = new Histogram("weir_operator_compile_seconds", "Duration of the compile within a pass.");
    final AtomicLong lastPassNanos = new AtomicLong();
    final AtomicLong objectsWritten = new AtomicLong();
    final AtomicLong generation = new AtomicLong();
    final AtomicLong programs = new AtomicLong();
    final AtomicLong identities = new AtomicLong();
    final AtomicLong refusedPolicies = new AtomicLong();

    public String render() {
        var out = new StringBuilder();
        counter(out, "weir_operator_passes_total", "Compile-and-publish passes that completed.", passes.get());
        counter(out, "weir_operator_failed_passes_total", "Passes that failed (the published state was left alone).", failedPasses.get());
        passSeconds.render(out);
        compileSeconds.render(out);
        gauge(out, "weir_operator_last_pass_seconds", "Duration of the last pass.", lastPassNanos.get() / 1e9);
        counter(out, "weir_operator_objects_written_total", "Weir objects created, replaced or deleted.", objectsWritten.get());
        gauge(out, "weir_operator_generation", "The generation last published.", generation.get());
        gauge(out, "weir_operator_programs", "Distinct programs published.", programs.get());
        gauge(out, "weir_operator_identities", "Identities in use.", identities.get());
        gauge(out, "weir_operator_refused_policies", "NetworkPolicies with problems (reported as Events).", refusedPolicies.get());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, double value) {
        metric(out, name, "counter", help, value);
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        metric(out, name, "gauge", help, value);
    }

    private static void metric(StringBuilder out, String name, String type, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
           .append("# TYPE ").append(name).append(' ').append(type).append('\n')
           .append(name).append(' ').append(value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)).append('\n');
    }
}
