package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.cli.Cli.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReachabilityCommandTest {
    @TempDir
    Path folder;

    @Test
    void jsonIsTheTruthTableAndNothingElse() throws Exception {
        Run r = run("reachability", "-f", TinyCluster.write(folder).toString(), "--port", "80", "-o", "json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("weir: warning: skipping pod x/c: it has no IPv4 address");

        // the whole of stdout is one JSON document of exactly two fields
        var parser = new ObjectMapper().createParser(r.out());
        JsonNode json = new ObjectMapper().readTree(parser);
        assertThat(parser.nextToken()).as("anything after the document").isNull();
        assertThat(r.out().strip()).doesNotContain("\n");
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("pods", "allowed");

        assertThat(json.get("pods")).hasToString("[\"x/a\",\"x/b\",\"y/d\"]");
        // x's pods take no ingress, but from themselves; y/d takes anything; egress is open everywhere
        assertThat(json.get("allowed")).hasToString("[[true,false,true],[false,true,true],[false,false,true]]");
    }

    @Test
    void tableIsUpstreamsTruthTable() {
        Run r = run("reachability", "-f", TinyCluster.write(folder).toString(), "--port", "80");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                -   x/a x/b y/d
                x/a .   X   .
                x/b X   .   .
                y/d X   X   .
                """);
    }

    @Test
    void theShopsDatabaseTakesOnlyTheBackend() {
        Run r = run("reachability", "-f", Cli.SHOP.toString(), "--port", "5432", "--protocol", "tcp");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(6);
        // every column as wide as the longest name (monitoring/prometheus-0, 23 characters), one space apart
        assertThat(lines.getFirst()).isEqualTo("-" + " ".repeat(23) + String.join(" ", pad("shop/frontend-1"), pad("shop/frontend-2"),
                pad("shop/backend-1"), pad("data/postgres-0"), "monitoring/prometheus-0"));
        assertThat(lines).contains(String.join(" ", pad("shop/backend-1"), pad("X"), pad("X"), pad("."), pad("."), "X"),
                String.join(" ", "monitoring/prometheus-0", pad("X"), pad("X"), pad("X"), pad("X"), "."));
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("\t"));
    }

    private static String pad(String cell) {
        return cell + " ".repeat(23 - cell.length());
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        String yaml = TinyCluster.write(folder).toString();
        run("reachability", "-f", yaml, "--port", "0").failsWithOneLine(
                "weir: Invalid value for option '--port': port 0 is out of range (1-65535) (see weir reachability --help)");
        run("reachability", "-f", yaml, "--port", "65536").failsWithOneLine(
                "weir: Invalid value for option '--port': port 65536 is out of range (1-65535) (see weir reachability --help)");
        run("reachability", "-f", yaml, "--port", "http").failsWithOneLine(
                "weir: Invalid value for option '--port': 'http' is not a port number (1-65535) (see weir reachability --help)");
        run("reachability", "-f", yaml, "--port", "80", "--protocol", "ICMP").failsWithOneLine(
                "weir: Invalid value for option '--protocol': expected one of [TCP, UDP, SCTP] (case-insensitive) but was 'ICMP' (see weir reachability --help)");
        run("reachability", "-f", yaml).failsWithOneLine("weir: Missing required option: '--port=N' (see weir reachability --help)");
        run("reachability", "-f", folder.resolve("missing.yaml").toString(), "--port", "80")
                .failsWithOneLine("weir: " + folder.resolve("missing.yaml") + ": no such file or folder");
    }
}
