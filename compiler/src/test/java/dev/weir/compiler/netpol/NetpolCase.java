package dev.weir.compiler.netpol;

import dev.weir.compiler.cluster.ClusterState;
import java.util.List;

/**
 * A table test: one or more steps (a cluster state, then probes), in order, as upstream's tests create a
 * policy, probe, change something, probe again.
 *
 * @param upstreamTest the upstream e2e test's name, or a note when the case is Weir's own in upstream's style
 */
public record NetpolCase(String name, String upstreamTest, List<Step> steps) {

    public record Step(String description, ClusterState cluster, List<Probe> probes) {}

    public static NetpolCase of(String name, String upstreamTest, ClusterState cluster, Probe... probes) {
        return new NetpolCase(name, upstreamTest, List.of(new Step("", cluster, List.of(probes))));
    }

    @Override
    public String toString() {
        return name;
    }
}
