package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.enforce.NodeDatapath.Verdicts;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
    private final AgentMetrics metrics = new AgentMetrics();

    @Test
    void countersKeptElsewhereAreReadAtScrapeTime() {
        var attachFailures = new AtomicLong();
        var cniRequests = new AtomicLong();
        metrics.readAtScrape(new AgentMetrics.OutsideCounters(attachFailures::get, cniRequests::get, () -> 0));
        attachFailures.set(2);
        cniRequests.set(7);
        assertThat(metrics.render()).contains("# TYPE weir_agent_attach_failures_total counter",
                "weir_agent_attach_failures_total 2", "weir_agent_cni_requests_total 7", "weir_agent_cni_errors_total 0");
        cniRequests.set(9);
        assertThat(metrics.render()).contains("weir_agent_cni_requests_total 9");
    }

    @Test
    void endpointPacketsFollowTheKernelMapAtEachScrape() {
        var verdicts = new AtomicReference<>(List.of(new Verdicts("weir0123456789a", "x/a", 3, 1)));
        metrics.endpointPackets(verdicts::get);
        assertThat(metrics.render()).contains("# TYPE weir_agent_endpoint_packets_total counter",
                "weir_agent_endpoint_packets_total{interface=\"weir0123456789a\",pod=\"x/a\",verdict=\"passed\"} 3",
                "weir_agent_endpoint_packets_total{interface=\"weir0123456789a\",pod=\"x/a\",verdict=\"dropped\"} 1");

        // The counters moved and a pod came: both show in the next scrape, with nothing else run in between.
        verdicts.set(List.of(new Verdicts("weir0123456789a", "x/a", 5, 4), new Verdicts("weir0123456789b", "x/b", 0, 0)));
        assertThat(metrics.render()).contains(
                "weir_agent_endpoint_packets_total{interface=\"weir0123456789a\",pod=\"x/a\",verdict=\"passed\"} 5",
                "weir_agent_endpoint_packets_total{interface=\"weir0123456789a\",pod=\"x/a\",verdict=\"dropped\"} 4",
                "weir_agent_endpoint_packets_total{interface=\"weir0123456789b\",pod=\"x/b\",verdict=\"passed\"} 0");

        // A pod gone takes its series with it.
        verdicts.set(List.of(new Verdicts("weir0123456789b", "x/b", 1, 0)));
        assertThat(metrics.render()).doesNotContain("pod=\"x/a\"")
                .contains("weir_agent_endpoint_packets_total{interface=\"weir0123456789b\",pod=\"x/b\",verdict=\"passed\"} 1");
    }

    @Test
    void gaugesAndCountersKeepTheirNames() {
        metrics.generation.set(4);
        metrics.applies.increment();
        assertThat(metrics.render()).contains("# TYPE weir_agent_generation gauge", "weir_agent_generation 4",
                "# TYPE weir_agent_applies_total counter", "weir_agent_applies_total 1",
                "weir_agent_programs_loaded 0", "weir_agent_endpoints_enforced 0", "weir_agent_endpoints_denied 0",
                "weir_agent_apply_failures_total 0", "weir_agent_artifacts_refused_total 0");
    }
}
