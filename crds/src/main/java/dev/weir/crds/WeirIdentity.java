package dev.weir.crds;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * One numeric identity every node agrees on: a pod label set (namespace, its labels, the pod's labels) or an
 * ipBlock prefix. Named {@code identity-<number>}, so a number is taken at most once (creating the object is
 * the allocation) and survives operator restarts. Signed like the other artifacts: agents and tools show
 * them, and the operator reads them back into its numbering after a restart, so an altered one must not
 * count.
 */
@Group(WeirApi.GROUP)
@Version(WeirApi.VERSION)
@Kind("WeirIdentity")
@ShortNames("wid")
public class WeirIdentity extends CustomResource<WeirIdentity.Spec, Void> {

    /** Exactly one of (namespace, labels) or cidr. */
    public record Spec(
            @Required @Min(256) @PrinterColumn(name = "Number") int number,
            @PrinterColumn(name = "Namespace") String namespace,
            Map<String, String> namespaceLabels,
            Map<String, String> podLabels,
            @PrinterColumn(name = "CIDR") String cidr,
            String sha256,
            Signature signature) implements SignedSpec {}

    public static String nameOf(int number) {
        return "identity-" + number;
    }
}
