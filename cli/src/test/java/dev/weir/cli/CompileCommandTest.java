package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileCommandTest {
    @TempDir
    Path folder;

    @Test
    void printsTheShopsProgramsIdentitiesAndMaps() {
        Run r = run("compile", "-f", Cli.SHOP.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        // one program per namespace and direction; monitoring has no policies, so it shares nothing with the others
        assertThat(r.out()).contains("programs (6):")
                .containsPattern("weir_e_[0-9a-f]{8}  egress +\\d+ instructions  namespaces: shop\n")
                .containsPattern("weir_i_[0-9a-f]{8}  ingress +\\d+ instructions  namespaces: data\n")
                .containsPattern("weir_i_[0-9a-f]{8}  ingress +\\d+ instructions  namespaces: monitoring\n");
        int frontend = identity(r.out(), "shop \\{app=frontend\\}  pods: shop/frontend-1, shop/frontend-2");
        int postgres = identity(r.out(), "data \\{app=postgres\\}  pods: data/postgres-0");
        assertThat(r.out()).contains("identities (4):")
                .containsPattern("weir_ipcache +HASH +key  4 B  value  4 B  max +\\d+  entries 5")
                .contains("    10.244.1.10 -> " + frontend + "\n", "    10.244.2.10 -> " + frontend + "\n",
                        "    10.244.2.30 -> " + postgres + "\n")
                .contains("    10.244.1.20 api=TCP/9000 -> 01000000", "    10.244.2.30 postgres=TCP/5432 -> 01000000")
                .contains("  weir_prefixes (empty)", "  weir_ct (empty)")
                .doesNotContain("r0 =");
    }

    @Test
    void disassemblesEveryProgramOnRequest() {
        Run r = run("compile", "-f", Cli.SHOP.toString(), "--disassemble");
        assertThat(r.status()).isZero();
        assertThat(Pattern.compile("(?m)^weir_[ie]_[0-9a-f]{8} \\((ingress|egress), \\d+ bytes of bytecode\\):$").matcher(r.out()).results())
                .hasSize(6);
        assertThat(r.out()).contains("r1 = map[weir_ipcache]", "call bpf_map_lookup_elem", "allow_not_ip:");
    }

    @Test
    void ipBlocksGetPrefixIdentities() throws Exception {
        Path yaml = Files.writeString(folder.resolve("office.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: x}
                status: {podIP: 10.0.0.1}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-office, namespace: x}
                spec:
                  podSelector: {}
                  ingress:
                  - from:
                    - ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}
                """);
        Run r = run("compile", "-f", yaml.toString());
        assertThat(r.status()).as(r.err()).isZero();
        int office = identity(r.out(), "prefix 192\\.168\\.0\\.0/16"), except = identity(r.out(), "prefix 192\\.168\\.1\\.0/24");
        assertThat(r.out()).contains("    192.168.0.0/16 -> " + office + "\n", "    192.168.1.0/24 -> " + except + "\n",
                "    identity " + office + " -> selector bits {");
    }

    @Test
    void refusedRulesAreReportedAndTheOthersStillCompile() {
        Path yaml = TinyCluster.write(folder, TinyCluster.YAML + TinyCluster.REFUSED_POLICY);
        Run r = run("compile", "-f", yaml.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err().strip().lines()).containsExactlyInAnyOrder(
                "weir: warning: NetworkPolicy y/icmp: its refused rules allow nothing; it still isolates the pods it selects",
                "weir: refused: NetworkPolicy y/icmp: spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"");
        // x's deny-all-ingress compiled to x's own ingress program
        Matcher x = Pattern.compile("(weir_i_\\w+)  ingress .* namespaces: x\n").matcher(r.out());
        assertThat(x.find()).as(r.out()).isTrue();
        assertThat(r.out()).doesNotContainPattern(x.group(1) + ".*namespaces: .*y");
    }

    @Test
    void inputThatCannotBeLoadedIsAOneLineError() throws Exception {
        run("compile", "-f", "/no/such/cluster.yaml").failsWithOneLine("weir: /no/such/cluster.yaml: no such file or folder");
        Path broken = Files.writeString(folder.resolve("broken.yaml"), "kind: Pod\nmetadata: [unclosed\n");
        Run r = run("compile", "-f", broken.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("weir: " + broken + " (document 1): invalid YAML").doesNotContain("Exception");
        assertThat(r.err().strip()).doesNotContain("\n");
        assertThat(r.out()).isEmpty();
    }

    private static int identity(String out, String description) {
        Matcher m = Pattern.compile("(?m)^ +(\\d+)  " + description + "$").matcher(out);
        assertThat(m.find()).as("identity line '%s' in:%n%s", description, out).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
