package dev.weir.datapath.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rtnetlink operations that wire a pod: veth pairs, links up, addresses, routes, permanent neighbours,
 * and the sysctls of an interface. Each acts in the calling thread's network namespace (run it inside
 * {@link NetNs#run} for another), as {@code ip link}, {@code ip addr}, {@code ip route}, {@code ip neigh}
 * would, without running them.
 */
public final class PodLinks {
    private static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_NEWADDR = 20, RTM_NEWROUTE = 24, RTM_NEWNEIGH = 28;
    private static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_LINKINFO = 18, IFLA_NET_NS_FD = 28;
    private static final int IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1;
    private static final int IFF_UP = 1, AF_INET = 2;
    private static final int IFA_ADDRESS = 1, IFA_LOCAL = 2;
    private static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5;
    private static final int RT_TABLE_MAIN = 254, RTPROT_STATIC = 4, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RTN_UNICAST = 1;
    private static final int NDA_DST = 1, NDA_LLADDR = 2, NUD_PERMANENT = 0x80;
    private static final int ENODEV = 19;

    private PodLinks() {}

    /**
     * A veth pair: {@code name} here, {@code peerName} created directly in the namespace at
     * {@code peerNamespace} (so it never appears in this one), with the given MAC addresses.
     */
    public static void createVeth(String name, byte[] mac, String peerName, byte[] peerMac, Path peerNamespace) {
        Libc.Result opened = Libc.open(peerNamespace.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (opened.failed()) throw new SyscallException("open(" + peerNamespace + ")", opened.errno(), "");
        try (Fd namespace = new Fd((int) opened.value(), "network namespace " + peerNamespace); Rtnetlink rtnl = new Rtnetlink()) {
            var message = new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
                    | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
                    .ifinfo(0, 0, 0)
                    .attribute(IFLA_IFNAME, name)
                    .attribute(IFLA_ADDRESS, mac)
                    .nested(IFLA_LINKINFO, info -> info
                            .attribute(IFLA_INFO_KIND, "veth")
                            .nested(IFLA_INFO_DATA, data -> data
                                    .nested(VETH_INFO_PEER, peer -> peer
                                            .ifinfo(0, 0, 0)
                                            .attribute(IFLA_IFNAME, peerName)
                                            .attribute(IFLA_ADDRESS, peerMac)
                                            .attribute(IFLA_NET_NS_FD, namespace.get()))));
            rtnl.request(message, "create veth " + name + " (peer " + peerName + " in " + peerNamespace + ")");
        }
    }

    public static void setUp(String name) {
        int index = Interfaces.ifindex(name);
        try (Rtnetlink rtnl = new Rtnetlink()) {
            rtnl.request(new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK)
                    .ifinfo(index, IFF_UP, IFF_UP), "set " + name + " up");
        }
    }

    /** Deletes an interface (a veth takes its peer with it); false when there was none. */
    public static boolean delete(String name) {
        var index = Interfaces.find(name);
        if (index.isEmpty()) return false;
        try (Rtnetlink rtnl = new Rtnetlink()) {
            rtnl.request(new NetlinkMessage(RTM_DELLINK, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK)
                    .ifinfo(index.getAsInt(), 0, 0), "delete " + name);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == ENODEV) return false; // gone meanwhile
            throw e;
        }
    }

    /** Adds {@code address/prefixLength} (host-order IPv4) to {@code name}. */
    public static void addAddress(String name, int address, int prefixLength) {
        int index = Interfaces.ifindex(name);
        try (Rtnetlink rtnl = new Rtnetlink()) {
            rtnl.request(new NetlinkMessage(RTM_NEWADDR, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
                    | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE)
                    .ifaddr(AF_INET, prefixLength, RT_SCOPE_UNIVERSE, index)
                    .ipv4(IFA_LOCAL, address).ipv4(IFA_ADDRESS, address), "add address to " + name);
        }
    }

    /**
     * A route to {@code destination/prefixLength} out of {@code name}: through {@code gateway} when it is
     * not 0, else directly (link scope). Replaces an existing route to the same destination.
     */
    public static void addRoute(int destination, int prefixLength, int gateway, String name) {
        int index = Interfaces.ifindex(name);
        try (Rtnetlink rtnl = new Rtnetlink()) {
            var message = new NetlinkMessage(RTM_NEWROUTE, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
                    | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE)
                    .rt(AF_INET, prefixLength, RT_TABLE_MAIN, RTPROT_STATIC, gateway == 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE, RTN_UNICAST, 0);
            if (prefixLength > 0) message.ipv4(RTA_DST, destination);
            if (gateway != 0) message.ipv4(RTA_GATEWAY, gateway);
            rtnl.request(message.attribute(RTA_OIF, index), "add route to " + dotted(destination) + "/" + prefixLength + " via " + name);
        }
    }

    /** A permanent neighbour entry: {@code address} (host-order IPv4) is at {@code mac} on {@code name}. */
    public static void addNeighbour(String name, int address, byte[] mac) {
        int index = Interfaces.ifindex(name);
        try (Rtnetlink rtnl = new Rtnetlink()) {
            rtnl.request(new NetlinkMessage(RTM_NEWNEIGH, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
                    | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE)
                    .nd(AF_INET, index, NUD_PERMANENT, 0, RTN_UNICAST)
                    .ipv4(NDA_DST, address).attribute(NDA_LLADDR, mac), "add neighbour on " + name);
        }
    }

    static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** Writes a sysctl of this namespace, such as {@code net/ipv4/ip_forward}. */
    public static void sysctl(String key, String value) {
        Path path = Path.of("/proc/sys").resolve(key);
        try {
            Files.writeString(path, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set sysctl " + key + " = " + value, e);
        }
    }
}
