package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Cli.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest {
    private static Run trace(String from, String to, String port, String... more) {
        var args = new java.util.ArrayList<>(List.of("trace", "-f", Cli.SHOP.toString(), "--from", from, "--to", to, "--port", port));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void explainsAnAllowedConnectionHopByHop() {
        Run r = trace("shop/frontend-1", "shop/backend-1", "9000");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).matches("request  shop/frontend-1 egress  \\(weir_e_[0-9a-f]{8}\\): allowed by shop/frontend egress\\[0]"),
                line -> assertThat(line).matches("request  shop/backend-1  ingress \\(weir_i_[0-9a-f]{8}\\): allowed by shop/backend ingress\\[0]"),
                line -> assertThat(line).matches("reply    shop/backend-1  egress  \\(weir_e_\\w+\\): allowed: part of an allowed connection .*"),
                line -> assertThat(line).matches("reply    shop/frontend-1 ingress \\(weir_i_\\w+\\): allowed: part of an allowed connection .*"),
                line -> assertThat(line).isEqualTo("connection shop/frontend-1 -> shop/backend-1 TCP/9000: ALLOWED"));
    }

    @Test
    void namesThePolicyThatDeniesAConnection() {
        // monitoring is not isolated, so the packet leaves; postgres takes monitoring's scrapes on metrics only
        Run r = trace("monitoring/prometheus-0", "data/postgres-0", "5432");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).endsWith("): allowed: no policy isolates the pod in this direction"),
                line -> assertThat(line).startsWith("request  data/postgres-0         ingress (weir_i_")
                        .endsWith("): denied: default deny by data/postgres (no ingress rule of the policies selecting data/postgres-0 allows it)"),
                line -> assertThat(line).isEqualTo("connection monitoring/prometheus-0 -> data/postgres-0 TCP/5432: BLOCKED at request data/postgres-0 ingress"));
    }

    @Test
    void anAddressOutsideTheClusterHasNoHops() {
        Run r = trace("203.0.113.9", "shop/frontend-1", "8080");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("(203.0.113.9 is outside the cluster")
                .contains("request  shop/frontend-1 ingress (weir_i_").contains("allowed by shop/frontend ingress[0]")
                .endsWith("connection 203.0.113.9 -> shop/frontend-1 TCP/8080: ALLOWED\n");
        Run udp = trace("shop/backend-1", "10.96.0.10", "53", "--protocol", "UDP");
        assertThat(udp.out()).endsWith("connection shop/backend-1 -> 10.96.0.10 UDP/53: BLOCKED at request shop/backend-1 egress\n");
    }

    @Test
    void anAddressThatIsAPodsIsThatPod() {
        Run r = trace("10.244.1.10", "10.244.1.20", "9000");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("(10.244.1.10 is pod shop/frontend-1)\n(10.244.1.20 is pod shop/backend-1)\n")
                .doesNotContain("outside the cluster")
                .endsWith("connection shop/frontend-1 -> shop/backend-1 TCP/9000: ALLOWED\n");
    }

    @Test
    void anAddressTwoPodsClaimIsAnError(@TempDir Path folder) {
        Path file = TinyCluster.write(folder, TinyCluster.YAML + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: twin, namespace: y}
                status: {podIP: 10.0.0.1}
                """);
        Run r = run("trace", "-f", file.toString(), "--from", "10.0.0.1", "--to", "y/d", "--port", "80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err().lines().toList()).last() // after the compiler's warning about the contested address
                .isEqualTo("weir: address 10.0.0.1 is claimed by pods [x/a, y/twin]: name one as namespace/pod");
    }

    @Test
    void badEndsAreOneLineErrors() {
        trace("shop/nope", "shop/backend-1", "80").failsWithOneLine("weir: no pod shop/nope in the input");
        trace("shop/frontend-1", "frontend-1", "80").failsWithOneLine("weir: 'frontend-1' is neither namespace/pod nor an IPv4 address");
        trace("shop/frontend-1", "10.0.0.256", "80").failsWithOneLine("weir: '10.0.0.256' is neither namespace/pod nor an IPv4 address");
        trace("1.2.3.4", "5.6.7.8", "80").failsWithOneLine("weir: at least one end must be a pod of the cluster");
        trace("shop/frontend-1", "shop/backend-1", "-1").failsWithOneLine(
                "weir: Invalid value for option '--port': port -1 is out of range (1-65535) (see weir trace --help)");
        trace("shop/frontend-1", "shop/backend-1", "80", "--engine", "gpu").failsWithOneLine(
                "weir: Invalid value for option '--engine': expected one of [interpreter, kernel] (case-insensitive) but was 'gpu' (see weir trace --help)");
    }

    @Test
    void aPodWithoutAnAddressCannotBeTraced(@TempDir Path folder) {
        run("trace", "-f", TinyCluster.write(folder).toString(), "--from", "x/c", "--to", "x/a", "--port", "80")
                .failsWithOneLine("weir: pod x/c has no IPv4 address (status.podIP)");
    }
}
