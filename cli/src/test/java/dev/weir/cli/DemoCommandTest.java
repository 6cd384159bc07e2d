package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Cli.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void compilesTheBundledShopAndShowsWhatItAllows() {
        Run r = run("demo");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("examples/shop: 3 namespaces, 5 pods, 6 NetworkPolicies compiled to 6 eBPF programs (tc), 4 identities, 5 ipcache entries\n")
                .contains("programs (6):", "identities (4):")
                .contains("Who can open a TCP connection to port 9000?", "Who can open a TCP connection to port 5432?")
                // only the frontends reach the API, only the backend reaches the database
                .containsPattern("\nshop/frontend-1 +\\. +X +\\. +X +X\n").containsPattern("\nshop/backend-1 +X +X +\\. +\\. +X\n")
                .contains("connection shop/frontend-1 -> shop/backend-1 TCP/9000: ALLOWED")
                .contains("connection monitoring/prometheus-0 -> shop/backend-1 TCP/9000: BLOCKED at request shop/backend-1 ingress")
                .contains("denied: default deny by shop/default-deny");
    }

    @Test
    void theNextHintsWork() {
        String hints = run("demo").out();
        assertThat(hints).contains("bin/weir services -f examples/shop\n");
        String hint = "bin/weir trace -f examples/shop --from shop/frontend-1 --to svc:shop/backend --port 9000";
        assertThat(hints).contains(hint + "\n");
        Run r = run(hint.replace("bin/weir ", "").replace("examples/shop", Cli.SHOP.toString()).split(" "));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("connection shop/frontend-1 -> 10.96.20.20 (shop/backend-1) TCP/9000: ALLOWED\n");
    }

    @Test
    void takesAnotherClusterAndPorts(@TempDir Path folder) {
        Run r = run("demo", "-f", TinyCluster.write(folder).toString(), "--port", "8443");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("skipping pod x/c");
        assertThat(r.out()).contains(": 2 namespaces, 4 pods, 1 NetworkPolicies compiled to")
                .contains("Who can open a TCP connection to port 8443?")
                .contains("-   x/a x/b y/d\nx/a .   X   .\n")
                .contains("connection x/a -> y/d TCP/8443: ALLOWED")
                .contains("connection x/a -> x/b TCP/8443: BLOCKED at request x/b ingress")
                .doesNotContain("examples/shop");
    }
}
