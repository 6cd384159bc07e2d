package dev.weir.agent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The agent's numbers in Prometheus' text format: atomics written by the agent, rendered on request. */
public final class AgentMetrics {
    public final AtomicLong generation = new AtomicLong();
    public final AtomicLong programsLoaded = new AtomicLong();
    public final AtomicLong endpointsEnforced = new AtomicLong();
    public final AtomicLong endpointsDenied = new AtomicLong();
    public final AtomicLong applies = new AtomicLong();
    public final AtomicLong applyFailures = new AtomicLong();
    public final AtomicLong artifactsRefused = new AtomicLong();
    public final AtomicLong attachFailures = new AtomicLong();
    public final AtomicLong cniRequests = new AtomicLong();
    public final AtomicLong cniErrors = new AtomicLong();
    /** Reads counters kept elsewhere into the fields above, before each render. */
    private volatile Runnable refresh = () -> {};
    /** Extra lines (per-endpoint verdict counters read from the maps), written at render time. */
    private volatile Consumer<StringBuilder> extra = out -> {};

    public void refresh(Runnable reader) {
        this.refresh = reader;
    }

    public void extra(Consumer<StringBuilder> writer) {
        this.extra = writer;
    }

    public String render() {
        refresh.run();
        var out = new StringBuilder();
        gauge(out, "weir_agent_generation", "The generation of the state the node runs.", generation.get());
        gauge(out, "weir_agent_programs_loaded", "Programs loaded into the kernel.", programsLoaded.get());
        gauge(out, "weir_agent_endpoints_enforced", "Pod interfaces running their policy programs.", endpointsEnforced.get());
        gauge(out, "weir_agent_endpoints_denied", "Pod interfaces dropping everything until their policy is known.", endpointsDenied.get());
        counter(out, "weir_agent_applies_total", "States applied to the kernel.", applies.get());
        counter(out, "weir_agent_apply_failures_total", "States that could not be applied (the previous one stays).", applyFailures.get());
        counter(out, "weir_agent_artifacts_refused_total", "Programs refused by a check or the kernel verifier.", artifactsRefused.get());
        counter(out, "weir_agent_attach_failures_total", "Endpoints the agent could not hook.", attachFailures.get());
        counter(out, "weir_agent_cni_requests_total", "CNI commands served.", cniRequests.get());
        counter(out, "weir_agent_cni_errors_total", "CNI commands answered with an error.", cniErrors.get());
        extra.accept(out);
        return out.toString();
    }

    static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
           .append(name).append(' ').append(value).append('\n');
    }

    static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
           .append(name).append(' ').append(value).append('\n');
    }
}
