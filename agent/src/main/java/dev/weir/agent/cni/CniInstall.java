package dev.weir.agent.cni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The install step, as Cilium's install-cni: the plugin's launcher in the CNI bin folder and the network
 * configuration list beside the runtime's, each written to a temporary name and renamed, so a runtime never
 * reads half a file. A JVM starts for every CNI call, so the launcher uses an AOT cache (JDK 25,
 * {@code -XX:AOTCache}) that one training call against the running agent records here; without it the
 * launcher still works, with the JDK's default class data sharing.
 */
public final class CniInstall {
    private static final Logger LOG = Logger.getLogger(CniInstall.class.getName());
    public static final String LAUNCHER = "weir", CONFLIST = "05-weir.conflist", AOT_CACHE = "weir-cni.aot";
    static final String FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:CICompilerCount=1 -Xss512k";

    private CniInstall() {}

    /** Installs the plugin and its configuration; returns the launcher. */
    public static Path install(Path confDir, Path binDir, Path socket, Path pluginJar, boolean aotCache) throws IOException {
        Files.createDirectories(binDir);
        Files.createDirectories(confDir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = pluginJar.toAbsolutePath();
        Path launcher = binDir.resolve(LAUNCHER);
        write(launcher, launcher(java, jar, null), true);
        String conflist = """
                {
                  "cniVersion": "1.1.0",
                  "name": "weir",
                  "plugins": [
                    {"type": "weir", "weirSocket": "%s"}
                  ]
                }
                """.formatted(socket.toAbsolutePath());
        write(confDir.resolve(CONFLIST), conflist, false);
        if (aotCache) {
            Path cache = binDir.resolve(AOT_CACHE);
            if (train(java, jar, cache, socket)) write(launcher, launcher(java, jar, cache), true);
        }
        return launcher;
    }

    static String launcher(Path java, Path jar, Path aotCache) {
        return "#!/bin/sh\n# Written by the weir agent: the CNI plugin, a small client of the agent's socket.\n"
                + "exec " + java + " " + FLAGS + (aotCache == null ? " -Xshare:auto" : " -XX:AOTCache=" + aotCache)
                + " -cp " + jar + " dev.weir.cni.Main\n";
    }

    /** One STATUS call to the agent that records the classes the plugin loads into an AOT cache. */
    private static boolean train(Path java, Path jar, Path cache, Path socket) {
        try {
            Files.deleteIfExists(cache);
            var builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:CICompilerCount=1", "-Xss512k", "-XX:AOTCacheOutput=" + cache,
                    "-cp", jar.toString(), "dev.weir.cni.Main");
            builder.environment().put("CNI_COMMAND", "STATUS");
            Path log = cache.resolveSibling(cache.getFileName() + ".log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(("{\"cniVersion\":\"1.1.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket.toAbsolutePath() + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.warning("no AOT cache for the CNI plugin: the training call did not finish in 60 s");
                return false;
            }
            if (!Files.exists(cache)) {
                LOG.warning("no AOT cache for the CNI plugin (the launcher runs without); see " + log);
                return false;
            }
            Files.deleteIfExists(log);
            return true;
        } catch (IOException e) {
            LOG.warning("no AOT cache for the CNI plugin: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void write(Path target, String text, boolean executable) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".new");
        Files.writeString(temporary, text);
        if (executable) Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
