package dev.weir.agent;

import dev.weir.agent.enforce.NodeDatapath;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code weir_agent_endpoint_packets_total{interface,pod,verdict}}: the per-pod counters the hooks keep in
 * the kernel's weir_verdicts map. Pods come and go, so {@link #refresh} (run before each scrape) reads the map,
 * adds a series for each new pod interface, updates the others and drops those of pods gone.
 */
final class EndpointPacketCounters {
    static final String NAME = "weir.agent.endpoint.packets";

    private record Series(String hostInterface, String pod, String verdict) {}

    private final MeterRegistry registry;
    private final Supplier<List<NodeDatapath.Verdicts>> read;
    /** The last values read; the meters report these (and hold them strongly: meters keep weak references). */
    private final Map<Series, AtomicLong> values = new HashMap<>();
    private final Map<Series, FunctionCounter> meters = new HashMap<>();

    EndpointPacketCounters(MeterRegistry registry, Supplier<List<NodeDatapath.Verdicts>> read) {
        this.registry = registry;
        this.read = read;
    }

    synchronized void refresh() {
        var seen = new HashSet<Series>();
        for (NodeDatapath.Verdicts v : read.get()) {
            update(new Series(v.hostInterface(), v.pod(), "passed"), v.passed(), seen);
            update(new Series(v.hostInterface(), v.pod(), "dropped"), v.dropped(), seen);
        }
        meters.keySet().removeIf(series -> {
            if (seen.contains(series)) return false;
            registry.remove(meters.get(series));
            values.remove(series);
            return true;
        });
    }

    private void update(Series series, long value, Set<Series> seen) {
        seen.add(series);
        values.computeIfAbsent(series, this::register).set(value);
    }

    private AtomicLong register(Series series) {
        var value = new AtomicLong();
        meters.put(series, FunctionCounter.builder(NAME, value, AtomicLong::get)
                .description("Packets a pod's hooks passed or dropped, read from weir_verdicts.")
                .tag("interface", series.hostInterface()).tag("pod", series.pod()).tag("verdict", series.verdict())
                .register(registry));
        return value;
    }
}
