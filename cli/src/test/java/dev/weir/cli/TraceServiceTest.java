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

/** weir trace to a Service: by svc:ns/name or by a frontend address, translated to a backend before policy. */
class TraceServiceTest {
    @TempDir
    Path folder;

    /** Runs trace on {@link ServiceCluster}; the engine (and more) in {@code more}. */
    static Run trace(Path folder, String from, String to, String port, String... more) {
        var args = new ArrayList<>(List.of("trace", "-f", TinyCluster.write(folder, ServiceCluster.YAML).toString(),
                "--from", from, "--to", to, "--port", port));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** The shared expectations, for either engine: allowed through the cluster IP, blocked naming the backend. */
    static void podSelectorEgressCoversTheClusterIp(Path folder, String... engine) throws Exception {
        Run allowed = trace(folder, "app/client", "svc:app/db", "5432", engine);
        assertThat(allowed.status()).as(allowed.err()).isZero();
        assertThat(allowed.out().lines().toList()).first().isEqualTo("(svc:app/db is 10.96.0.10, its cluster IP)");
        assertThat(allowed.out()).contains("service  10.96.0.10:5432 -> app/db-0 (10.0.0.3:5432) (chosen by the client's egress program)\n")
                .contains("allowed by app/client-to-db egress[0]", "allowed by app/db ingress[0]")
                .endsWith("connection app/client -> 10.96.0.10 (app/db-0) TCP/5432: ALLOWED\n");

        Run blocked = trace(folder, "app/other", ServiceCluster.DB_CLUSTER_IP, "5432", engine);
        assertThat(blocked.status()).as(blocked.err()).isZero();
        assertThat(blocked.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).isEqualTo("(10.96.0.10 is Service app/db)"),
                line -> assertThat(line).isEqualTo("service  10.96.0.10:5432 -> app/db-0 (10.0.0.3:5432)"
                        + " (chosen by the client's egress program, whose policy then dropped it)"),
                line -> assertThat(line).startsWith("request  app/other egress  (weir_e_").endsWith("): denied: default deny by app/default-deny"
                        + " (no egress rule of the policies selecting app/other allows it)"),
                line -> assertThat(line).isEqualTo("connection app/other -> 10.96.0.10 (app/db-0) TCP/5432: BLOCKED at request app/other egress"));

        JsonNode document = json(trace(folder, "app/client", ServiceCluster.DB_CLUSTER_IP, "5432", with(engine, "-o", "json")));
        assertThat(fields(document)).containsExactly("from", "to", "protocol", "port", "allowed",
                "service", "backend", "backendPort", "replyFromService", "hops");
        assertThat(document.get("to").asText()).isEqualTo("10.96.0.10");
        assertThat(document.get("allowed").asBoolean()).isTrue();
        assertThat(document.get("backend").asText()).isEqualTo("app/db-0");
        assertThat(document.get("backendPort").isInt()).as("a number, not a string").isTrue();
        assertThat(document.get("backendPort").asInt()).isEqualTo(5432);
        assertThat(document.get("hops")).hasSize(4);
        JsonNode denied = json(trace(folder, "app/other", "svc:app/db", "5432", with(engine, "-o", "json")));
        assertThat(denied.get("allowed").asBoolean()).isFalse();
        assertThat(denied.get("backend").asText()).isEqualTo("app/db-0");
        assertThat(denied.get("backendPort").asInt()).isEqualTo(5432);
        assertThat(denied.get("hops")).hasSize(1);
        assertThat(denied.get("hops").get(0).get("reason").asText()).isEqualTo("DEFAULT_DENY");
    }

    @Test
    void aPodSelectorEgressRuleCoversTheServicesClusterIp() throws Exception {
        podSelectorEgressCoversTheClusterIp(folder);
    }

    @Test
    void aServiceAddressAtAnotherPortIsNotTranslated() {
        Run r = trace(folder, "app/client", ServiceCluster.DB_CLUSTER_IP, "80");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("(10.96.0.10 is Service app/db, which has no port 80/TCP: the packet is not translated)\n")
                .doesNotContain("service  ", "outside the cluster")
                .endsWith("connection app/client -> 10.96.0.10 TCP/80: BLOCKED at request app/client egress\n");
    }

    @Test
    void badServiceEndsAreOneLineErrors() {
        trace(folder, "app/client", "svc:app/nope", "5432")
                .failsWithOneLine("weir: no Service app/nope in the input (headless and ExternalName Services have no cluster IP to trace)");
        trace(folder, "app/client", "svc:app/db", "80").failsWithOneLine("weir: Service app/db has no port 80/TCP (it has 5432/TCP)");
        trace(folder, "app/client", "svc:app/db", "5432", "--protocol", "UDP")
                .failsWithOneLine("weir: Service app/db has no port 5432/UDP (it has 5432/TCP)");
        trace(folder, "app/client", "svc:db", "5432").failsWithOneLine("weir: 'svc:db' is not svc:namespace/name");
        trace(folder, "svc:app/db", "app/client", "5432")
                .failsWithOneLine("weir: --from svc:app/db is a Service: a Service opens no connections, trace from a pod or an address");
        trace(folder, "10.96.0.10", "app/client", "5432")
                .failsWithOneLine("weir: --from 10.96.0.10 is a Service: a Service opens no connections, trace from a pod or an address");
    }

    @Test
    void theShopsBackendReachesItsDatabaseThroughItsService() {
        Run r = run("trace", "-f", Cli.SHOP.toString(), "--from", "shop/backend-1", "--to", "svc:data/db", "--port", "5432");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).endsWith("connection shop/backend-1 -> 10.96.30.10 (data/postgres-0) TCP/5432: ALLOWED\n");
        Run frontend = run("trace", "-f", Cli.SHOP.toString(), "--from", "shop/frontend-1", "--to", "svc:data/db", "--port", "5432");
        assertThat(frontend.out()).endsWith("connection shop/frontend-1 -> 10.96.30.10 (data/postgres-0) TCP/5432: BLOCKED at request shop/frontend-1 egress\n");
    }

    static JsonNode json(Run r) throws Exception {
        assertThat(r.status()).as(r.err()).isZero();
        var parser = new ObjectMapper().createParser(r.out());
        JsonNode document = new ObjectMapper().readTree(parser);
        assertThat(parser.nextToken()).as("anything after the document").isNull();
        return document;
    }

    static List<String> fields(JsonNode document) {
        var names = new ArrayList<String>();
        document.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String[] with(String[] engine, String... more) {
        var all = new ArrayList<>(List.of(engine));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
