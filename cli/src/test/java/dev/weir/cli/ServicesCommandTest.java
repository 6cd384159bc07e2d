package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.Cli.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesCommandTest {
    /**
     * Every kind of frontend (cluster, external and LoadBalancer IPs, a node port), a backend that is no pod
     * (a hand-made EndpointSlice), a Service without backends, and a Service the loader refuses.
     */
    static final String YAML = ServiceCluster.YAML + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: app}
            spec:
              type: LoadBalancer
              clusterIP: 10.96.0.20
              externalIPs: [192.0.2.10]
              ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]
            status:
              loadBalancer: {ingress: [{ip: 203.0.113.10}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, namespace: app, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}]
            endpoints:
            - addresses: [192.0.2.77]
            - addresses: [10.0.0.1]
              targetRef: {kind: Pod, name: client, namespace: app}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: empty, namespace: app}
            spec:
              clusterIP: 10.96.0.30
              selector: {app: nobody}
              ports: [{port: 53, protocol: UDP}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: bad, namespace: app}
            spec:
              type: Sideways
              clusterIP: 10.96.0.40
              ports: [{port: 80}]
            """;

    @TempDir
    Path folder;

    @Test
    void tableHasAnAlignedLinePerServicePort() {
        Run r = run("services", "-f", TinyCluster.write(folder, YAML).toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                SERVICE    PORT  PROTOCOL  FRONTENDS                                                                             BACKENDS                         MAGLEV
                app/db     pg    TCP       10.96.0.10:5432                                                                       app/db-0:5432                    M=16381 slots/backend 16381..16381
                app/web    http  TCP       10.96.0.20:80,192.0.2.10:80 (external),203.0.113.10:80 (LoadBalancer),NodePort 30080  app/client:8080,192.0.2.77:8080  M=16381 slots/backend 8190..8191
                app/empty  -     UDP       10.96.0.30:53                                                                         -                                M=16381 -
                """);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("weir: refused: ").contains("Service app/bad", "spec.type");
    }

    @Test
    void jsonHasTheDocumentedFieldsInOrder() throws Exception {
        Run r = run("services", "-f", TinyCluster.write(folder, YAML).toString(), "-o", "json");
        JsonNode document = TraceServiceTest.json(r);
        assertThat(TraceServiceTest.fields(document)).containsExactly("services");
        JsonNode services = document.get("services");
        assertThat(services).hasSize(3);
        JsonNode web = services.get(1);
        assertThat(TraceServiceTest.fields(web)).containsExactly("service", "port", "protocol", "frontends", "backends", "maglev");
        assertThat(web.get("service").asText()).isEqualTo("app/web");
        assertThat(web.get("port").asText()).isEqualTo("http");
        assertThat(web.get("frontends")).hasToString("[{\"kind\":\"ClusterIP\",\"address\":\"10.96.0.20\",\"port\":80},"
                + "{\"kind\":\"ExternalIP\",\"address\":\"192.0.2.10\",\"port\":80},"
                + "{\"kind\":\"LoadBalancer\",\"address\":\"203.0.113.10\",\"port\":80},"
                + "{\"kind\":\"NodePort\",\"address\":null,\"port\":30080}]");
        // in address order, as kube-proxy and the Maglev table take them
        assertThat(web.get("backends")).hasToString("[{\"pod\":\"app/client\",\"address\":\"10.0.0.1\",\"port\":8080},"
                + "{\"pod\":null,\"address\":\"192.0.2.77\",\"port\":8080}]");
        assertThat(web.get("maglev")).hasToString("{\"size\":16381,\"minSlots\":8190,\"maxSlots\":8191}");
        JsonNode empty = services.get(2);
        assertThat(empty.get("port").asText()).isEmpty();
        assertThat(empty.get("backends")).isEmpty();
        assertThat(empty.get("maglev")).hasToString("{\"size\":16381,\"minSlots\":0,\"maxSlots\":0}");
    }

    @Test
    void theShopsServicesAndTheirPods() {
        Run r = run("services", "-f", Cli.SHOP.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).hasSize(5)
                .anySatisfy(line -> assertThat(line).matches("shop/frontend +http +TCP +10\\.96\\.20\\.10:80 +shop/frontend-1:8080,shop/frontend-2:8080 +M=16381 slots/backend 8190\\.\\.8191"))
                .anySatisfy(line -> assertThat(line).matches("data/db +postgres +TCP +10\\.96\\.30\\.10:5432 +data/postgres-0:5432 +M=16381 .*"));
    }

    @Test
    void noServicesIsAWarningAndBadInputAnError() {
        Run r = run("services", "-f", TinyCluster.write(folder).toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("weir: warning: no Services in ");
        run("services", "-f", folder.resolve("missing.yaml").toString())
                .failsWithOneLine("weir: " + folder.resolve("missing.yaml") + ": no such file or folder");
        run("services", "-f", folder.toString(), "-o", "yaml").failsWithOneLine(
                "weir: Invalid value for option '--output': expected one of [table, json] (case-insensitive) but was 'yaml' (see weir services --help)");
    }
}
