package dev.weir.crds;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The operator's own object, one per cluster ({@value #DEFAULT}): its spec is Weir's cluster-wide settings,
 * its status what the last compile-and-publish pass did. Changes to namespaces, pods and NetworkPolicies all
 * reconcile it.
 */
@Group(WeirApi.GROUP)
@Version(WeirApi.VERSION)
@Kind("WeirCluster")
@ShortNames("wcluster")
public class WeirCluster extends CustomResource<WeirCluster.Spec, WeirCluster.Status> {
    public static final String DEFAULT = "default";

    /**
     * Cluster-wide settings; none yet. Settings that widen what is allowed (extra addresses with the host
     * identity, say) belong to the operator's own configuration, not here: writing Weir objects must not be
     * enough to open the datapath.
     */
    public record Spec() {}

    /**
     * @param generation      the generation published
     * @param programs        distinct programs published
     * @param identities      identities in use
     * @param refusedPolicies policies with problems (each reported as an Event on the policy)
     * @param message         the last pass's outcome, or why it failed
     */
    public record Status(@PrinterColumn(name = "Generation") long generation, @PrinterColumn(name = "Programs") int programs,
                         @PrinterColumn(name = "Identities") int identities, @PrinterColumn(name = "Refused") int refusedPolicies,
                         String message) {}
}
