package dev.weir.agent;

import dev.weir.datapath.kernel.IpRoute2;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A named network namespace for a test, made the way a container runtime makes a sandbox's (with
 * iproute2, test-only), deleted by close() so a failing test cleans up too.
 */
public record Netns(String name) implements AutoCloseable {

    public static Netns create(String prefix) {
        String name = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        IpRoute2.ip("netns", "add", name);
        return new Netns(name);
    }

    public Path path() {
        return Path.of("/var/run/netns", name);
    }

    @Override
    public void close() {
        IpRoute2.tryIp("netns", "del", name);
    }
}
