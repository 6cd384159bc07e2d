package dev.weir.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A named network namespace for a test, made the way a container runtime makes a sandbox's (with
 * iproute2, test-only), deleted by close() so a failing test cleans up too.
 */
public record Netns(String name) implements AutoCloseable {

    public static Netns create(String prefix) {
        String name = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        ip("netns", "add", name);
        return new Netns(name);
    }

    public Path path() {
        return Path.of("/var/run/netns", name);
    }

    @Override
    public void close() {
        try {
            ip("netns", "del", name);
        } catch (IllegalStateException e) {
            // already gone
        }
    }

    public static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": timed out");
            }
            if (process.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
