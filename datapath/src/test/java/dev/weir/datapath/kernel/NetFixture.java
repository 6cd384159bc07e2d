package dev.weir.datapath.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static void tryIp(String... args) {
        try {
            ip(args);
        } catch (IllegalStateException e) {
            // Already gone (e.g. the test deleted it): nothing left to clean up.
        }
    }
}
