package dev.weir.datapath.kernel;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test setup with iproute2: veth pairs and named network namespaces under unique names, removed
 * by close() (use try-with-resources so a failing test still cleans up).
 */
final class NetFixture {
    private NetFixture() {}

    /** A name no other test run uses: prefix plus 6 random hex digits (interface names hold 15). */
    static String uniqueName(String prefix) {
        return prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    }

    /** A veth pair, both ends up, in the current namespace. */
    record Veth(String name, String peer) implements AutoCloseable {
        static Veth create() {
            String name = uniqueName("wta");
            String peer = "wtb" + name.substring(3);
            ip("link", "add", name, "type", "veth", "peer", "name", peer);
            Veth veth = new Veth(name, peer);
            try {
                ip("link", "set", name, "up");
                ip("link", "set", peer, "up");
            } catch (RuntimeException e) {
                veth.close();
                throw e;
            }
            return veth;
        }

        /** Deleting one end deletes both, wherever the peer has moved. */
        @Override
        public void close() {
            tryIp("link", "del", name);
        }
    }

    /** A named network namespace (/var/run/netns/NAME). */
    record Netns(String name) implements AutoCloseable {
        static Netns create() {
            String name = uniqueName("weir-test-");
            ip("netns", "add", name);
            return new Netns(name);
        }

        void moveInto(String ifname) {
            ip("link", "set", ifname, "netns", name);
        }

        @Override
        public void close() {
            tryIp("netns", "del", name);
        }
    }

    static String ip(String... args) {
        return IpRoute2.ip(args);
    }

    private static void tryIp(String... args) {
        IpRoute2.tryIp(args);
    }
}
