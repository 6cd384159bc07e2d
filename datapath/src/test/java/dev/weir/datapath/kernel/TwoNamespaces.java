package dev.weir.datapath.kernel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two fresh network namespaces, {@code weir-t-<id>-a} and {@code weir-t-<id>-b}, joined by a veth
 * pair with one end in each: 10.199.0.1/30 in A, 10.199.0.2/30 in B, loopbacks and both ends up.
 * The addresses exist only inside these namespaces, so nothing the tests send can leave them.
 *
 * <p>The link is kept <em>quiet</em>, so that counters in programs attached to it can be compared
 * exactly with what a test sent: IPv6 is disabled in both namespaces before the veth ends arrive (no
 * router or neighbour solicitations, no MLD reports), and each side knows the other's MAC as a
 * permanent neighbour (no ARP). The only frames on the wire are the ones tests send.
 *
 * <p>{@link #close()} deletes the veth and both namespaces; it tolerates a half-made fixture, so
 * creation failures clean up too. Sockets opened inside a namespace keep it alive in the kernel
 * after {@code ip netns del}, so close them before closing this.
 */
final class TwoNamespaces implements AutoCloseable {
    static final String PREFIX = "weir-t-";
    private static final String SUBNET_BITS = "/30";

    /** One namespace with its veth end. */
    record Side(String netns, String ifname, String mac, InetAddress address) {
        Path path() {
            return NetNs.named(netns);
        }

        /** Runs {@code body} on a thread inside this namespace (sockets it opens belong here). */
        <T> T run(Callable<T> body) throws Exception {
            return NetNs.run(path(), body);
        }

        /** The veth end's interface index, looked up inside the namespace. */
        int ifindex() throws Exception {
            return run(() -> Interfaces.ifindex(ifname));
        }

        InetSocketAddress at(int port) {
            return new InetSocketAddress(address, port);
        }
    }

    private final String id;
    private final Side a;
    private final Side b;

    private TwoNamespaces(String id) {
        this.id = id;
        this.a = new Side(PREFIX + id + "-a", "wt" + id + "a", "02:77:74:00:00:0a", ipv4(10, 199, 0, 1));
        this.b = new Side(PREFIX + id + "-b", "wt" + id + "b", "02:77:74:00:00:0b", ipv4(10, 199, 0, 2));
    }

    static TwoNamespaces create() {
        TwoNamespaces net = new TwoNamespaces(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6));
        try {
            net.build();
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    Side a() {
        return a;
    }

    Side b() {
        return b;
    }

    /** What every name this fixture creates starts with: {@code weir-t-<id>}. */
    String id() {
        return id;
    }

    private void build() {
        NetFixture.ip("netns", "add", a.netns());
        NetFixture.ip("netns", "add", b.netns());
        quietIpv6(a);
        quietIpv6(b);
        // Made directly inside the namespaces: the ends never appear in the host namespace.
        NetFixture.ip("link", "add", a.ifname(), "address", a.mac(), "netns", a.netns(), "type", "veth",
                "peer", "name", b.ifname(), "address", b.mac(), "netns", b.netns());
        for (Side side : List.of(a, b)) {
            Side other = side == a ? b : a;
            NetFixture.ip("-n", side.netns(), "addr", "add", side.address().getHostAddress() + SUBNET_BITS, "dev", side.ifname());
            NetFixture.ip("-n", side.netns(), "neigh", "replace", other.address().getHostAddress(),
                    "lladdr", other.mac(), "dev", side.ifname(), "nud", "permanent");
            NetFixture.ip("-n", side.netns(), "link", "set", "lo", "up");
            NetFixture.ip("-n", side.netns(), "link", "set", side.ifname(), "up");
        }
    }

    /** IPv6 off for devices arriving later (default) and those there now (all), if the kernel has IPv6 at all. */
    private static void quietIpv6(Side side) {
        try {
            side.run(() -> {
                // /proc/sys/net answers for the network namespace of the thread that opens it.
                for (String scope : List.of("default", "all")) {
                    Path knob = Path.of("/proc/sys/net/ipv6/conf", scope, "disable_ipv6");
                    if (Files.exists(knob)) Files.writeString(knob, "1");
                }
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot disable IPv6 in " + side.netns(), e);
        }
    }

    /** Deletes the veth (both ends) and the namespaces; whatever is already gone is skipped. */
    @Override
    public void close() {
        tryIp("-n", a.netns(), "link", "del", a.ifname());
        tryIp("netns", "del", a.netns());
        tryIp("netns", "del", b.netns());
    }

    /**
     * Names this fixture made that are still visible: namespaces in {@code ip netns list}, veth ends
     * in the host namespace. Empty after {@link #close()}.
     */
    List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (String line : NetFixture.ip("netns", "list").lines().toList()) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(PREFIX + id)) left.add("netns " + name);
        }
        for (String line : NetFixture.ip("-o", "link", "show").lines().toList()) {
            for (Side side : List.of(a, b)) {
                if (line.contains(" " + side.ifname() + "@") || line.contains(" " + side.ifname() + ":")) {
                    left.add("link " + side.ifname());
                }
            }
        }
        return left;
    }

    private static void tryIp(String... args) {
        try {
            NetFixture.ip(args);
        } catch (IllegalStateException e) {
            // Already gone, or never made: nothing to clean up.
        }
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "TwoNamespaces[" + a + ", " + b + "]";
    }
}
