package dev.weir.agent.network;

import dev.weir.datapath.kernel.Interfaces;
import dev.weir.datapath.kernel.NetNs;
import dev.weir.datapath.kernel.PodLinks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * Wires pods into the node, Cilium-style, with rtnetlink only: a veth pair whose pod end is created straight
 * in the pod's namespace under the runtime's interface name; the pod gets its address as a /32, a
 * link-local gateway ({@value #GATEWAY_TEXT}) that it knows by a permanent neighbour entry, and a default
 * route through it; the node routes the address to the host end and knows the pod's MAC. No ARP, no proxy
 * ARP, no bridge: every packet passes the host end, where the programs sit.
 */
public final class PodNetwork {
    public static final String GATEWAY_TEXT = "169.254.1.1";
    static final int GATEWAY = 0xa9fe0101;

    /** The wiring of one pod: interface names and MACs, and its address (host order). */
    public record Wiring(String hostInterface, String hostMac, int hostIfindex, String podInterface, String podMac, int address) {}

    private final Path nodeNamespace;

    /** @param nodeNamespace the node's network namespace, or null for the agent's own */
    public PodNetwork(Path nodeNamespace) {
        this.nodeNamespace = nodeNamespace;
        inNode(() -> {
            PodLinks.sysctl("net/ipv4/ip_forward", "1");
            return null;
        });
    }

    public Path nodeNamespace() {
        return nodeNamespace;
    }

    /** Creates the pod's veth and configures both ends; fails if the host interface exists already. */
    public Wiring wire(String hostInterface, Path podNamespace, String podInterface, int address) {
        byte[] hostMac = mac("host/" + hostInterface);
        byte[] podMac = mac("pod/" + hostInterface);
        int ifindex = inNode(() -> {
            PodLinks.createVeth(hostInterface, hostMac, podInterface, podMac, podNamespace);
            try {
                // Quiet host end: no IPv6 chatter on a link only IPv4 pods use.
                quietIpv6(hostInterface);
                PodLinks.setUp(hostInterface);
                PodLinks.addRoute(address, 32, 0, hostInterface);
                PodLinks.addNeighbour(hostInterface, address, podMac);
                return Interfaces.ifindex(hostInterface);
            } catch (RuntimeException e) {
                PodLinks.delete(hostInterface);
                throw e;
            }
        });
        try {
            run(podNamespace, () -> {
                quietIpv6(podInterface);
                PodLinks.setUp("lo");
                PodLinks.setUp(podInterface);
                PodLinks.addAddress(podInterface, address, 32);
                PodLinks.addRoute(GATEWAY, 32, 0, podInterface);
                PodLinks.addRoute(0, 0, GATEWAY, podInterface);
                PodLinks.addNeighbour(podInterface, GATEWAY, hostMac);
                return null;
            });
        } catch (RuntimeException e) {
            unwire(hostInterface);
            throw e;
        }
        return new Wiring(hostInterface, text(hostMac), ifindex, podInterface, text(podMac), address);
    }

    /** Turns IPv6 off on an interface, where the kernel has IPv6 at all (it may boot with ipv6.disable=1). */
    private static void quietIpv6(String name) {
        if (java.nio.file.Files.isDirectory(Path.of("/proc/sys/net/ipv6/conf", name))) {
            PodLinks.sysctl("net/ipv6/conf/" + name + "/disable_ipv6", "1");
        }
    }

    /** The wiring {@link #wire} made for these names and address (the MACs are derived from the name). */
    public static Wiring existing(String hostInterface, int hostIfindex, String podInterface, int address) {
        return new Wiring(hostInterface, text(mac("host/" + hostInterface)), hostIfindex, podInterface, text(mac("pod/" + hostInterface)), address);
    }

    /** Deletes the pod's veth (its pod end goes with it); false when there was none. */
    public boolean unwire(String hostInterface) {
        return inNode(() -> PodLinks.delete(hostInterface));
    }

    /** The host end's interface index in the node's namespace, if it exists. */
    public java.util.OptionalInt hostIfindex(String hostInterface) {
        return inNode(() -> Interfaces.find(hostInterface));
    }

    /** Whether the pod's namespace has {@code podInterface}. */
    public boolean podHasInterface(Path podNamespace, String podInterface) {
        return run(podNamespace, () -> Interfaces.find(podInterface).isPresent());
    }

    /** A locally administered unicast MAC derived from {@code seed}. */
    static byte[] mac(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            byte[] mac = new byte[6];
            System.arraycopy(digest, 0, mac, 0, 6);
            mac[0] = (byte) ((mac[0] & 0xfc) | 0x02);
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    public <T> T inNode(Callable<T> body) {
        return nodeNamespace == null ? call(body) : run(nodeNamespace, body);
    }

    private static <T> T run(Path namespace, Callable<T> body) {
        try {
            return NetNs.run(namespace, body);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static <T> T call(Callable<T> body) {
        try {
            return body.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
