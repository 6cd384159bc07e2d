package dev.weir.crds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a pod's host-side veth, which the operator, the CNI plugin and the agent must agree on
 * without talking: {@code weir} + 11 hex digits of SHA-256 over {@code namespace/name} (15 characters,
 * the kernel's limit), as Cilium's {@code lxc<hash>}.
 */
public final class HostInterfaces {

    private HostInterfaces() {}

    public static String name(String namespace, String pod) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((namespace + "/" + pod).getBytes(StandardCharsets.UTF_8));
            return "weir" + HexFormat.of().formatHex(digest).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
