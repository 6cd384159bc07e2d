package dev.weir.crds;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * What one node's agent needs, named after the node: its pod CIDRs and addresses, and for each of its pods
 * the host-side interface, address, identity and programs; the status is the agent's report.
 */
@Group(WeirApi.GROUP)
@Version(WeirApi.VERSION)
@Kind("WeirNode")
@ShortNames("wnode")
public class WeirNode extends CustomResource<WeirNode.Spec, WeirNode.Status> {

    /**
     * @param generation the compiled cluster's generation, which only grows: an agent refuses a spec older
     *                   than the one it runs (a replayed old spec)
     * @param podCIDRs   the node's pod address ranges (from the Node), which its CNI plugin allocates from
     * @param addresses  the node's own addresses (from the Node), which have the host identity
     * @param maps       for each map the operator fills, the WeirMapChunks (object names, content addresses)
     *                   that together hold its contents in this generation
     * @param sha256     hex SHA-256 of the canonical bytes: the node's pods decide which programs attach where,
     *                   so they are signed like programs and map contents
     */
    public record Spec(@PrinterColumn(name = "Generation") long generation, List<String> podCIDRs, List<String> addresses,
                       @Required List<MapContents> maps, @Required List<Pod> pods, String sha256, Signature signature) implements SignedSpec {}

    /** @param chunks the map's WeirMapChunk object names, sorted */
    public record MapContents(@Required String map, @Required List<String> chunks) {}

    /**
     * @param hostInterface the host side of the pod's veth, named by {@link HostInterfaces}
     * @param address       the pod's IPv4 address
     * @param ingressProgram the WeirProgram (object name, a content address) for traffic to the pod
     * @param egressProgram  the WeirProgram for traffic from the pod
     */
    public record Pod(@Required String namespace, @Required String name, @Required String hostInterface,
                      @Required String address, int identity, @Required String ingressProgram,
                      @Required String egressProgram) {}

    /** @param loadedGeneration the generation the agent has loaded; message says why not, when it has not */
    public record Status(long loadedGeneration, @PrinterColumn(name = "Loaded") int podsAttached, String message) {}
}
