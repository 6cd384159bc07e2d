package dev.weir.compiler.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterLoader;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointSliceControllerTest {

    @TempDir
    Path dir;

    /** web-1 and web-2 name "http" differently, web-3 not at all; db is not selected, web-x is in another namespace. */
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              clusterIP: 10.96.0.10
              selector: {app: web}
              ports:
              - {name: http, port: 80, targetPort: http}
              - {name: admin, port: 81, targetPort: 9000}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web-1, namespace: shop, labels: {app: web, v: "1"}},
             spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}, status: {podIP: 10.0.0.1}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web-2, namespace: shop, labels: {app: web}},
             spec: {containers: [{name: c, ports: [{name: http, containerPort: 8081}]}]}, status: {podIP: 10.0.0.2}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web-3, namespace: shop, labels: {app: web}},
             spec: {containers: [{name: c, ports: [{name: http, containerPort: 8082, protocol: UDP}]}]}, status: {podIP: 10.0.0.3}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web-4, namespace: shop, labels: {app: web}},
             spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}, status: {podIP: 10.0.0.4}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: pending, namespace: shop, labels: {app: web}}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: db, namespace: shop, labels: {app: db}}, status: {podIP: 10.0.0.9}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web-x, namespace: other, labels: {app: web}}, status: {podIP: 10.0.1.1}}
            """;

    @Test
    void derivesSlicesWithNamedTargetPortsResolvedPerPod() throws IOException {
        ClusterState cluster = load(CLUSTER);

        assertThat(cluster.endpointSlices()).containsExactly(
                slice("web-derived-1", List.of(port("http", 8080), port("admin", 9000)), endpoint("10.0.0.1", "web-1"), endpoint("10.0.0.4", "web-4")),
                slice("web-derived-2", List.of(port("http", 8081), port("admin", 9000)), endpoint("10.0.0.2", "web-2")),
                slice("web-derived-3", List.of(port("admin", 9000)), endpoint("10.0.0.3", "web-3")));
    }

    @Test
    void podsLackingTheNamedPortAreNoBackendsOfThatPort() throws IOException {
        ServiceTable table = ServiceCompiler.compile(load(CLUSTER));

        assertThat(table.services()).hasSize(2);
        assertThat(table.services().get(0).backends()).extracting(b -> Ipv4.text(b.address()) + ":" + b.port())
                .containsExactly("10.0.0.1:8080", "10.0.0.2:8081", "10.0.0.4:8080");
        assertThat(table.services().get(1).backends()).extracting(b -> Ipv4.text(b.address()) + ":" + b.port())
                .containsExactly("10.0.0.1:9000", "10.0.0.2:9000", "10.0.0.3:9000", "10.0.0.4:9000");
    }

    @Test
    void aServiceWithSlicesInTheInputGetsNoneDerived() throws IOException {
        ClusterState cluster = load(CLUSTER + """
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-manual, namespace: shop, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                ports: [{name: http, port: 7000}]
                endpoints: [{addresses: [10.0.0.7]}]
                """);

        assertThat(cluster.endpointSlices()).extracting(ClusterEndpointSlice::name).containsExactly("web-manual");
    }

    @Test
    void aSliceNamingTheServiceCountsEvenWhenItIsSkipped() throws IOException {
        ClusterState cluster = load(CLUSTER + """
                ---
                {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: web-v6, namespace: shop,
                 labels: {kubernetes.io/service-name: web}}, addressType: IPv6, endpoints: [{addresses: ["fd00::1"]}]}
                """);

        assertThat(cluster.endpointSlices()).isEmpty();
    }

    @Test
    void aServiceWithoutASelectorGetsNone() throws IOException {
        ClusterState cluster = load(CLUSTER.replace("selector: {app: web}", "selector: {}"));

        assertThat(cluster.services()).singleElement().satisfies(service -> assertThat(service.selected()).isFalse());
        assertThat(cluster.endpointSlices()).isEmpty();
    }

    @Test
    void derivedNamesAvoidTakenOnes() throws IOException {
        ClusterState cluster = load(CLUSTER + """
                ---
                {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: web-derived-1, namespace: shop,
                 labels: {kubernetes.io/service-name: other}}, addressType: IPv4, endpoints: []}
                """);

        assertThat(cluster.endpointSlices()).extracting(ClusterEndpointSlice::name)
                .containsExactly("web-derived-1", "web-derived-2", "web-derived-3", "web-derived-4");
        assertThat(cluster.endpointSlices(new ServiceRef("shop", "web"))).hasSize(3);
    }

    @Test
    void slicesHoldAtMostAHundredEndpoints() {
        var service = new ClusterService(new ServiceRef("x", "big"), ClusterService.Type.CLUSTER_IP, List.of(0x0a600001), List.of(),
                List.of(), List.of(new ServicePort("", Protocol.TCP, 80, new ServicePort.TargetPort.Number(8080), 0)), 0, false, false, 0, true);
        List<ClusterPod> pods = IntStream.range(0, 250)
                .mapToObj(i -> new ClusterPod("x", "p" + i, Map.of("app", "big"), "10.1." + (i / 250) + "." + (i % 250), List.of()))
                .toList();

        List<ClusterEndpointSlice> slices = EndpointSliceController.slices(service, Map.of("app", "big"), pods);

        assertThat(slices).extracting(slice -> slice.endpoints().size()).containsExactly(100, 100, 50);
        assertThat(slices).extracting(ClusterEndpointSlice::name).containsExactly("big-derived-1", "big-derived-2", "big-derived-3");
        assertThat(EndpointSliceController.slices(service, Map.of(), pods)).as("an empty selector selects nothing").isEmpty();
    }

    private static ClusterEndpointSlice slice(String name, List<ClusterEndpointSlice.Port> ports, ClusterEndpointSlice.Endpoint... endpoints) {
        return new ClusterEndpointSlice("shop", name, "web", ports, List.of(endpoints));
    }

    private static ClusterEndpointSlice.Port port(String name, int number) {
        return new ClusterEndpointSlice.Port(name, Protocol.TCP, number);
    }

    private static ClusterEndpointSlice.Endpoint endpoint(String address, String pod) {
        return new ClusterEndpointSlice.Endpoint(List.of(Ipv4.parse(address).orElseThrow()), true, true, false, null, new PodRef("shop", pod));
    }

    private ClusterState load(String yaml) throws IOException {
        ClusterLoader.Loaded loaded = ClusterLoader.load(Files.writeString(dir.resolve("cluster.yaml"), yaml));
        assertThat(loaded.refused()).isEmpty();
        return loaded.cluster();
    }
}
