package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.services.ClusterEndpointSlice;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.ServicePort;
import dev.weir.compiler.services.ServiceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad Service or EndpointSlice field is refused with exactly one line naming file, document, object and
 * field, and leaves out only what it belongs to: the Service {@code ok} and the slice {@code ok-1} in the same
 * file always load.
 */
class ClusterLoaderServiceRefusalTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            ---
            {apiVersion: v1, kind: Service, metadata: {name: ok, namespace: x}, spec: {clusterIP: 10.96.0.99, ports: [{port: 80}]}}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: ok-1, namespace: x, labels: {kubernetes.io/service-name: ok}}
            addressType: IPv4
            ports: [{name: "", port: 8080, protocol: TCP}]
            endpoints: [{addresses: [10.0.0.99]}]
            """;

    private static final String PORT = "; the port is left out", SERVICE = "; the Service is left out",
            ADDRESS = "; the address is left out", SLICE = "; the EndpointSlice is left out", ENDPOINT = "; the endpoint is left out";

    static Stream<Arguments> serviceRefusals() {
        return Stream.of(
                service("ports: [{name: a, port: 80}, {name: b, port: 70000}]",
                        "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 0}]",
                        "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535" + PORT),
                service("ports: [{name: a, port: 80}, {name: b}]", "spec.ports[1].port: Required value" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: \"81\"}]",
                        "spec.ports[1].port: expected an integer, found a string (\"81\")" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 81, protocol: ICMP}]",
                        "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 80}, {name: c, port: 80, protocol: UDP}]",
                        "spec.ports[1]: Duplicate value: 80/TCP" + PORT),
                service("ports: [{name: a, port: 80}, {port: 81}]", "spec.ports[1].name: Required value" + PORT),
                service("ports: [{name: a, port: 80}, {name: a, port: 81}]", "spec.ports[1].name: Duplicate value: \"a\"" + PORT),
                service("ports: [{name: a, port: 80}, {name: B_b, port: 81}]",
                        "spec.ports[1].name: Invalid value: \"B_b\": a lowercase RFC 1123 label must consist of lower case alphanumeric"
                                + " characters or '-', and must start and end with an alphanumeric character" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 81, targetPort: 70000}]",
                        "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 81, targetPort: \"8080\"}]",
                        "spec.ports[1].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 81, targetPort: web_http}]",
                        "spec.ports[1].targetPort: Invalid value: \"web_http\": must contain only alpha-numeric characters (a-z, 0-9),"
                                + " and hyphens (-)" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 81, targetPort: very-long-port-name}]",
                        "spec.ports[1].targetPort: Invalid value: \"very-long-port-name\": must be no more than 15 characters" + PORT),
                service("ports: [{name: a, port: 80}, {name: b, port: 81, nodePort: 30081}]",
                        "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" + PORT),
                service("type: NodePort, ports: [{name: a, port: 80}, {name: b, port: 81, nodePort: 8081}]",
                        "spec.ports[1].nodePort: Invalid value: 8081: provided port is not in the valid range."
                                + " The range of valid ports is 30000-32767" + PORT),
                service("type: NodePort, ports: [{name: a, port: 80, nodePort: 30080}, {name: b, port: 81, nodePort: 30080}]",
                        "spec.ports[1].nodePort: Duplicate value: 30080" + PORT),
                service("ports: [{name: a, port: 80}, null]", "spec.ports[1]: must not be null" + PORT),
                service("externalIPs: [192.0.2.1, 127.0.0.1]",
                        "spec.externalIPs[1]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)" + ADDRESS),
                service("externalIPs: [192.0.2.1, banana]",
                        "spec.externalIPs[1]: Invalid value: \"banana\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" + ADDRESS),
                service("externalIPs: [192.0.2.1, \"2001:db8::1\"]", "spec.externalIPs[1]: \"2001:db8::1\": IPv6 is not supported yet" + ADDRESS),
                service("clusterIPs: [10.96.0.1, \"fd00::1\"]", "spec.clusterIPs[1]: \"fd00::1\": IPv6 is not supported yet" + ADDRESS),
                bare("type: LoadBalancer, clusterIP: 10.96.0.1, ports: [{port: 80}]}, status: {loadBalancer: {ingress: [{ip: 203.0.113.1}, {ip: 203.0.113.300}]}",
                        "status.loadBalancer.ingress[1].ip: Invalid value: \"203.0.113.300\": must be a valid IP address,"
                                + " (e.g. 10.9.8.7 or 2001:db8::ffff)" + ADDRESS),
                bare("ports: [{port: 80}]", "spec.clusterIP: Required value: the API server would allocate it; without it the Service"
                        + " has no address" + SERVICE),
                bare("clusterIP: banana, ports: [{port: 80}]", "spec.clusterIP: Invalid value: \"banana\": must be a valid IP address,"
                        + " (e.g. 10.9.8.7 or 2001:db8::ffff); the Service is left out (it has no IPv4 cluster IP)"),
                bare("clusterIP: \"fd00::1\", ports: [{port: 80}]",
                        "spec.clusterIP: \"fd00::1\": IPv6 is not supported yet; the Service is left out (it has no IPv4 cluster IP)"),
                bare("clusterIP: 10.96.0.1, clusterIPs: [10.96.0.2], ports: [{port: 80}]",
                        "spec.clusterIPs[0]: Invalid value: \"10.96.0.2\": must match spec.clusterIP" + SERVICE),
                bare("clusterIP: 10.96.0.1", "spec.ports: Required value" + SERVICE),
                bare("clusterIP: 10.96.0.1, ports: {port: 80}", "spec.ports: expected a list, found a map" + SERVICE),
                service("type: Balanced", "spec.type: Unsupported value: \"Balanced\": supported values: \"ClusterIP\","
                        + " \"ExternalName\", \"LoadBalancer\", \"NodePort\"" + SERVICE),
                service("sessionAffinity: Sticky", "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values:"
                        + " \"ClientIP\", \"None\"" + SERVICE),
                service("sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}",
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be between 1 and 86400" + SERVICE),
                service("sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 86401}}",
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be between 1 and 86400" + SERVICE),
                service("internalTrafficPolicy: Nearby", "spec.internalTrafficPolicy: Unsupported value: \"Nearby\": supported values:"
                        + " \"Cluster\", \"Local\"" + SERVICE),
                service("externalTrafficPolicy: Local", "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for"
                        + " externally-accessible services" + SERVICE),
                service("type: NodePort, externalTrafficPolicy: Local, healthCheckNodePort: 30999", "spec.healthCheckNodePort:"
                        + " Invalid value: 30999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'" + SERVICE),
                service("ipFamilies: [IPv5]", "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"" + SERVICE),
                service("selector: {app: null}", "spec.selector.app: must not be null" + SERVICE),
                service("externalIPs: 192.0.2.1", "spec.externalIPs: expected a list, found a string (\"192.0.2.1\")" + SERVICE),
                Arguments.of("{apiVersion: v1, kind: Service, metadata: {name: 1web, namespace: x}, spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}}",
                        "Service x/1web: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric"
                                + " characters or '-', start with an alphabetic character, and end with an alphanumeric character" + SERVICE),
                Arguments.of("{apiVersion: v1, kind: Service, metadata: {name: s, namespace: x, labels: {a: b, a: c}}, spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}}",
                        "Service x/s: metadata.labels.a: key \"a\" is given twice in this map (line 1)" + SERVICE));
    }

    @ParameterizedTest
    @MethodSource("serviceRefusals")
    void aBadServiceFieldIsOneLineAndTheRestLoads(String document, String line) throws IOException {
        Path file = write(document);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): " + line);
        assertThat(loaded.cluster().service(new ServiceRef("x", "ok"))).isPresent();
        assertThat(loaded.cluster().endpointSlices()).extracting(ClusterEndpointSlice::name).contains("ok-1");
        if (line.endsWith(PORT) || line.endsWith(ADDRESS)) {
            assertThat(loaded.cluster().service(new ServiceRef("x", "s"))).as("the rest of the Service").isPresent();
        } else {
            assertThat(loaded.cluster().services()).extracting(ClusterService::ref).containsExactly(new ServiceRef("x", "ok"));
        }
    }

    static Stream<Arguments> sliceRefusals() {
        return Stream.of(
                slice("labels: {}", "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}]",
                        "metadata.labels.kubernetes.io/service-name: Required value: kube-proxy uses it to tell which Service the"
                                + " slice is for" + SLICE),
                slice(LABEL, "endpoints: [{addresses: [10.0.0.1]}]", "addressType: Required value" + SLICE),
                slice(LABEL, "addressType: IP, endpoints: []",
                        "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"" + SLICE),
                slice(LABEL, "addressType: IPv4, endpoints: [" + repeat("{addresses: [10.0.0.1]}", 1001) + "]",
                        "endpoints: Too many: 1001: must have at most 1000 items" + SLICE),
                slice(LABEL, "addressType: IPv4, ports: [" + IntStream.rangeClosed(1, 101).mapToObj(i -> "{name: p" + i + ", port: " + i + "}")
                                .collect(Collectors.joining(", ")) + "], endpoints: []",
                        "ports: Too many: 101: must have at most 100 items" + SLICE),
                slice(LABEL, "addressType: IPv4, endpoints: {addresses: [10.0.0.1]}", "endpoints: expected a list, found a map" + SLICE),
                slice(LABEL, "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}, {addresses: [10.0.0.300]}]",
                        "endpoints[1].addresses[0]: Invalid value: \"10.0.0.300\": must be a valid IP address,"
                                + " (e.g. 10.9.8.7 or 2001:db8::ffff)" + ENDPOINT),
                slice(LABEL, "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}, {addresses: [127.0.0.1]}]",
                        "endpoints[1].addresses[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)" + ENDPOINT),
                slice(LABEL, "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}, {addresses: [\"fd00::1\"]}]",
                        "endpoints[1].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address" + ENDPOINT),
                slice(LABEL, "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}, {addresses: []}]",
                        "endpoints[1].addresses: Required value: must contain at least 1 address" + ENDPOINT),
                slice(LABEL, "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}, {addresses: [10.0.0.2], conditions: {ready: \"yes\"}}]",
                        "endpoints[1].conditions.ready: expected true or false, found a string (\"yes\")" + ENDPOINT),
                slice(LABEL, "addressType: IPv4, endpoints: [{addresses: [10.0.0.1]}, null]", "endpoints[1]: must not be null" + ENDPOINT),
                slice(LABEL, "addressType: IPv4, ports: [{name: a, port: 80}, {name: a, port: 81}], endpoints: []",
                        "ports[1].name: Duplicate value: \"a\"" + PORT),
                slice(LABEL, "addressType: IPv4, ports: [{name: a, port: 80}, {name: b, port: 81, protocol: ICMP}], endpoints: []",
                        "ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" + PORT),
                slice(LABEL, "addressType: IPv4, ports: [{name: a, port: 80}, {name: b}], endpoints: []",
                        "ports[1].port: Required value: kube-proxy skips a port without a number" + PORT),
                slice(LABEL, "addressType: IPv4, ports: [{name: a, port: 80}, {name: b, port: 70000}], endpoints: []",
                        "ports[1].port: Invalid value: 70000: must be between 1 and 65535" + PORT));
    }

    @ParameterizedTest
    @MethodSource("sliceRefusals")
    void aBadEndpointSliceFieldIsOneLineAndTheRestLoads(String document, String line) throws IOException {
        Path file = write(document);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): EndpointSlice x/s-1: " + line);
        assertThat(loaded.cluster().services()).extracting(ClusterService::ref).containsExactly(new ServiceRef("x", "ok"));
        var names = loaded.cluster().endpointSlices().stream().map(ClusterEndpointSlice::name).toList();
        assertThat(names).contains("ok-1");
        assertThat(names.contains("s-1")).as("the rest of the slice").isEqualTo(line.endsWith(PORT) || line.endsWith(ENDPOINT));
    }

    @Test
    void aPortLeftOutLeavesTheOthers() throws IOException {
        Path file = write(service("type: NodePort, ports: [{name: a, port: 80, nodePort: 30080}, {name: b, port: 70000},"
                + " {name: c, port: 82, targetPort: web}]", "").get()[0].toString());

        ClusterService service = ClusterLoader.load(file).cluster().service(new ServiceRef("x", "s")).orElseThrow();

        assertThat(service.ports()).containsExactly(
                new ServicePort("a", Protocol.TCP, 80, new ServicePort.TargetPort.Number(80), 30080),
                new ServicePort("c", Protocol.TCP, 82, new ServicePort.TargetPort.Named("web"), 0));
    }

    @Test
    void aDualStackServiceKeepsItsIpv4Part() throws IOException {
        Path file = write(bare("clusterIP: \"fd00::1\", clusterIPs: [\"fd00::1\", 10.96.0.1], ipFamilies: [IPv6, IPv4],"
                + " ipFamilyPolicy: RequireDualStack, ports: [{port: 80}]", "").get()[0].toString());

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): Service x/s: spec.clusterIPs[0]: \"fd00::1\":"
                + " IPv6 is not supported yet; the address is left out");
        assertThat(loaded.cluster().service(new ServiceRef("x", "s")).orElseThrow().clusterIps())
                .containsExactly(Ipv4.parse("10.96.0.1").orElseThrow());
    }

    private static final String LABEL = "labels: {kubernetes.io/service-name: s}";

    /** A Service x/s with a cluster IP and one port, unless {@code spec} gives its own. */
    private static Arguments service(String spec, String line) {
        String defaults = (spec.contains("ports:") ? "" : "ports: [{port: 80}], ") + "clusterIP: 10.96.0.1, ";
        return bare(defaults + spec, line);
    }

    private static Arguments bare(String spec, String line) {
        return Arguments.of("{apiVersion: v1, kind: Service, metadata: {name: s, namespace: x}, spec: {" + spec + "}}", "Service x/s: " + line);
    }

    private static Arguments slice(String labels, String body, String line) {
        return Arguments.of("{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: s-1, namespace: x, "
                + labels + "}, " + body + "}", line);
    }

    private static String repeat(String item, int times) {
        return String.join(", ", java.util.Collections.nCopies(times, item));
    }

    private Path write(String document) throws IOException {
        return Files.writeString(dir.resolve("input.yaml"), document + "\n" + GOOD);
    }
}
