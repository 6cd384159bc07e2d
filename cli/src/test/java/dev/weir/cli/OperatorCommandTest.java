package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir operator` needs a cluster, which cannot run here; what is checked is how it fails without one. */
class OperatorCommandTest {

    @TempDir
    Path folder;

    @Test
    void anUnreachableClusterIsAOneLineError() throws IOException {
        Path kubeconfig = Files.writeString(folder.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: nobody, user: {token: x}}]
                contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]
                current-context: nowhere
                """);
        Cli.Run r = run("operator", "--kubeconfig", kubeconfig.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("weir: ").doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void aMissingKubeconfigFileIsNamed() {
        run("operator", "--kubeconfig", folder.resolve("absent").toString())
                .failsWithOneLine("weir: no such file: " + folder.resolve("absent"));
    }
}
