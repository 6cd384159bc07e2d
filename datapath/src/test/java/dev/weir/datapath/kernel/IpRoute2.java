package dev.weir.datapath.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iproute2 for tests' own setup (network namespaces as a container runtime makes them, fixture veths);
 * Weir itself never runs it. Shared by the modules that build on the datapath through its test jar.
 */
public final class IpRoute2 {
    private IpRoute2() {}

    /** Runs {@code ip ARGS...}; its output, or an IllegalStateException with the command and its output. */
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

    /** The same for cleaning up: what is already gone is not an error. */
    public static void tryIp(String... args) {
        try {
            ip(args);
        } catch (IllegalStateException e) {
            // already gone (e.g. the test deleted it): nothing left to clean up
        }
    }
}
