package dev.weir.crds;

import java.nio.charset.StandardCharsets;
import dev.weir.crds.signing.Canonical;

/**
 * The name of a pod's host-side veth, which the operator, the CNI plugin and the agent must agree on
 * without talking: {@code weir} + 11 hex digits of SHA-256 over {@code namespace/name} (15 characters,
 * the kernel's limit), as Cilium's {@code lxc<hash>}.
 */
public final class HostInterfaces {

    private HostInterfaces() {}

    public static String name(String namespace, String pod) {
        return "weir" + Canonical.sha256((namespace + "/" + pod).getBytes(StandardCharsets.UTF_8)).substring(0, 11);
    }
}
