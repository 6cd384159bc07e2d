package dev.weir.agent;

import dev.weir.agent.enforce.NodeDatapath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's numbers, as Micrometer meters on a Prometheus registry. Exposed as {@code weir_agent_*};
 * Micrometer appends {@code _total} to counters. Counters kept elsewhere (the datapath's, the CNI server's,
 * the kernel's per-pod verdicts) are read at scrape time, never copied in advance.
 */
public final class AgentMetrics {
    /** Counters that other parts of the agent keep; read at each scrape. */
    public record OutsideCounters(LongSupplier attachFailures, LongSupplier cniRequests, LongSupplier cniErrors) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final AtomicLong generation = gauge("weir.agent.generation", "The generation of the state the node runs.");
    public final AtomicLong programsLoaded = gauge("weir.agent.programs.loaded", "Programs loaded into the kernel.");
    public final AtomicLong endpointsEnforced = gauge("weir.agent.endpoints.enforced", "Pod interfaces running their policy programs.");
    public final AtomicLong endpointsDenied = gauge("weir.agent.endpoints.denied", "Pod interfaces dropping everything until their policy is known.");
    public final Counter applies = counter("weir.agent.applies", "States applied to the kernel.");
    public final Counter applyFailures = counter("weir.agent.apply.failures", "States that could not be applied (the previous one stays).");
    public final Counter artifactsRefused = counter("weir.agent.artifacts.refused", "Programs refused by a check or the kernel verifier.");
    /** Held here: meters keep only weak references to what they read. */
    private OutsideCounters outside;
    private volatile EndpointPacketCounters endpointPackets;

    /** Reads these counters at each scrape (call once). */
    public synchronized void readAtScrape(OutsideCounters counters) {
        outside = counters;
        outsideCounter("weir.agent.attach.failures", "Endpoints the agent could not hook.", c -> c.attachFailures().getAsLong());
        outsideCounter("weir.agent.cni.requests", "CNI commands served.", c -> c.cniRequests().getAsLong());
        outsideCounter("weir.agent.cni.errors", "CNI commands answered with an error.", c -> c.cniErrors().getAsLong());
    }

    /** Serves {@code weir_agent_endpoint_packets_total} from {@code verdicts}, read before each scrape (call once). */
    public void endpointPackets(Supplier<List<NodeDatapath.Verdicts>> verdicts) {
        endpointPackets = new EndpointPacketCounters(registry, verdicts);
    }

    /** Brings the meters that mirror a changing set of series (one per pod) up to date: run before a scrape. */
    public void beforeScrape() {
        var packets = endpointPackets;
        if (packets != null) packets.refresh();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** What /metrics serves, in Prometheus' text format. */
    public String render() {
        beforeScrape();
        return registry.scrape();
    }

    private void outsideCounter(String name, String help, ToDoubleFunction<OutsideCounters> read) {
        FunctionCounter.builder(name, outside, read).description(help).register(registry);
    }

    private AtomicLong gauge(String name, String help) {
        var value = new AtomicLong();
        Gauge.builder(name, value, AtomicLong::get).description(help).register(registry);
        return value;
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }
}
