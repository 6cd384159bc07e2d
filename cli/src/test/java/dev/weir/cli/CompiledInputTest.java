package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledInputTest {
    @TempDir
    Path folder;

    @Test
    void refusedObjectsAreOneLineEachAndTheRestCompiles() throws Exception {
        Path yaml = Files.writeString(folder.resolve("cluster.yaml"), """
                {apiVersion: v1, kind: Pod, metadata: {name: bad, namespace: x}, status: {podIP: banana}}
                ---
                {apiVersion: v1, kind: Pod, metadata: {name: good, namespace: x}, status: {podIP: 10.0.0.1}}
                """);

        Run r = run("compile", "-f", yaml.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err().lines()).contains("weir: refused: " + yaml + " (document 1): Pod x/bad: status.podIP:"
                + " 'banana' must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff); the pod is left out (it gets no identity)");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(r.out()).contains("10.0.0.1 -> ");
    }
}
