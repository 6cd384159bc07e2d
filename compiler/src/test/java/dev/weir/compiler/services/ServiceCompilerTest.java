package dev.weir.compiler.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceCompilerTest {

    private static final ServicePort HTTP = new ServicePort("http", Protocol.TCP, 80, new ServicePort.TargetPort.Named("http"), 0);
    private static final ClusterEndpointSlice.Port SLICE_HTTP = new ClusterEndpointSlice.Port("http", Protocol.TCP, 8080);

    @Test
    void numbersServicePortsInInputAndSpecOrder() {
        var dns = new ServicePort("dns", Protocol.UDP, 53, new ServicePort.TargetPort.Number(53), 0);
        var dnsTcp = new ServicePort("dns-tcp", Protocol.TCP, 53, new ServicePort.TargetPort.Number(53), 0);
        ClusterState cluster = ClusterState.builder()
                .service(service("web", "10.96.0.1", HTTP))
                .service(service("kube-dns", "10.96.0.10", dns, dnsTcp))
                .build();

        ServiceTable table = ServiceCompiler.compile(cluster);

        assertThat(table.services()).extracting(s -> s.id() + " " + s.service() + " " + s.portName() + " " + s.protocol())
                .containsExactly("0 x/web http TCP", "1 x/kube-dns dns UDP", "2 x/kube-dns dns-tcp TCP");
        assertThat(table.frontends()).containsExactly(
                new Frontend(ip("10.96.0.1"), 80, Protocol.TCP, Frontend.Kind.CLUSTER_IP, 0),
                new Frontend(ip("10.96.0.10"), 53, Protocol.UDP, Frontend.Kind.CLUSTER_IP, 1),
                new Frontend(ip("10.96.0.10"), 53, Protocol.TCP, Frontend.Kind.CLUSTER_IP, 2));
        assertThat(table.frontend(ip("10.96.0.10"), 53, Protocol.TCP)).map(Frontend::service).contains(2);
        assertThat(table.problems()).isEmpty();
    }

    @Test
    void readyEndpointsAreTheOnlyBackendsWhenThereAreAny() {
        ServiceTable table = compile(slice("web-1",
                endpoint("10.0.0.1", true, true, false),
                endpoint("10.0.0.2", false, true, true),    // serving, terminating: only when none is ready
                endpoint("10.0.0.3", false, false, false),  // not ready
                endpoint("10.0.0.4", true, true, false)));

        assertThat(addresses(table)).containsExactly("10.0.0.1:8080", "10.0.0.4:8080");
    }

    @Test
    void withoutReadyEndpointsTheServingTerminatingOnesServe() {
        ServiceTable table = compile(slice("web-1",
                endpoint("10.0.0.1", false, true, true),
                endpoint("10.0.0.2", false, false, true),   // terminating, no longer serving
                endpoint("10.0.0.3", false, false, false),
                endpoint("10.0.0.4", false, true, true),
                endpoint("10.0.0.5", false, true, false))); // serving but not ready and not terminating: not used

        assertThat(addresses(table)).containsExactly("10.0.0.1:8080", "10.0.0.4:8080");
    }

    @Test
    void withNeitherThereAreNoBackends() {
        ServiceTable table = compile(slice("web-1", endpoint("10.0.0.2", false, false, true), endpoint("10.0.0.3", false, false, false)));

        assertThat(table.services()).singleElement().satisfies(service -> assertThat(service.backends()).isEmpty());
        assertThat(table.frontends()).hasSize(1);
    }

    @Test
    void backendsAreFirstAddressesOnceEachInAddressOrder() {
        var twoAddresses = new ClusterEndpointSlice.Endpoint(List.of(ip("10.0.0.5"), ip("10.0.0.6")), true, true, false, "node-1", PodRef.parse("x/five"));
        ServiceTable table = compile(
                slice("web-1", endpoint("192.168.0.1", true, true, false), twoAddresses, endpoint("10.0.0.10", true, true, false)),
                slice("web-2", endpoint("10.0.0.10", true, true, false), endpoint("10.0.0.9", true, true, false)),
                new ClusterEndpointSlice("x", "web-3", "web", List.of(new ClusterEndpointSlice.Port("http", Protocol.TCP, 9090)),
                        List.of(endpoint("10.0.0.10", true, true, false))));

        assertThat(addresses(table)).containsExactly("10.0.0.5:8080", "10.0.0.9:8080", "10.0.0.10:8080", "10.0.0.10:9090", "192.168.0.1:8080");
        assertThat(table.services().getFirst().backends().getFirst()).isEqualTo(new Backend(ip("10.0.0.5"), 8080, PodRef.parse("x/five"), "node-1"));
    }

    @Test
    void anEndpointTwoSlicesListKeepsTheFirstSlicesConditions() {
        var ready = new ClusterEndpointSlice.Endpoint(List.of(ip("10.0.0.1")), true, true, false, "node-1", PodRef.parse("x/new"));
        var stale = new ClusterEndpointSlice.Endpoint(List.of(ip("10.0.0.1")), false, false, true, "node-2", PodRef.parse("x/old"));

        assertThat(compile(slice("web-1", ready), slice("web-2", stale)).services().getFirst().backends())
                .containsExactly(new Backend(ip("10.0.0.1"), 8080, PodRef.parse("x/new"), "node-1"));
        assertThat(compile(slice("web-1", stale), slice("web-2", ready)).services().getFirst().backends()).isEmpty();
    }

    @Test
    void onlySlicePortsOfTheSameNameAndProtocolCount() {
        var otherName = new ClusterEndpointSlice.Port("metrics", Protocol.TCP, 9100);
        var otherProtocol = new ClusterEndpointSlice.Port("http", Protocol.UDP, 8443);
        ServiceTable table = compile(
                new ClusterEndpointSlice("x", "web-1", "web", List.of(otherName, otherProtocol, SLICE_HTTP), List.of(endpoint("10.0.0.1", true, true, false))),
                new ClusterEndpointSlice("x", "api-1", "api", List.of(SLICE_HTTP), List.of(endpoint("10.0.0.2", true, true, false))),
                new ClusterEndpointSlice("y", "web-1", "web", List.of(SLICE_HTTP), List.of(endpoint("10.0.0.3", true, true, false))));

        assertThat(addresses(table)).containsExactly("10.0.0.1:8080");
    }

    @Test
    void everyAddressOfAServiceIsAFrontend() {
        var port = new ServicePort("http", Protocol.TCP, 80, new ServicePort.TargetPort.Number(8080), 30080);
        var service = new ClusterService(new ServiceRef("x", "web"), ClusterService.Type.LOAD_BALANCER, List.of(ip("10.96.0.1")),
                List.of(ip("192.0.2.1")), List.of(ip("203.0.113.1")), List.of(port), 0, false, false, 0, false);
        var clusterIpOnly = new ClusterService(new ServiceRef("x", "internal"), ClusterService.Type.CLUSTER_IP, List.of(ip("10.96.0.2")),
                List.of(), List.of(), List.of(new ServicePort("", Protocol.TCP, 80, new ServicePort.TargetPort.Number(80), 30081)), 0, false, false, 0, false);

        ServiceTable table = ServiceCompiler.compile(ClusterState.builder().service(service).service(clusterIpOnly).build());

        assertThat(table.frontends()).containsExactly(
                new Frontend(ip("10.96.0.1"), 80, Protocol.TCP, Frontend.Kind.CLUSTER_IP, 0),
                new Frontend(ip("192.0.2.1"), 80, Protocol.TCP, Frontend.Kind.EXTERNAL_IP, 0),
                new Frontend(ip("203.0.113.1"), 80, Protocol.TCP, Frontend.Kind.LOAD_BALANCER, 0),
                new Frontend(0, 30080, Protocol.TCP, Frontend.Kind.NODE_PORT, 0),
                new Frontend(ip("10.96.0.2"), 80, Protocol.TCP, Frontend.Kind.CLUSTER_IP, 1));
    }

    @Test
    void aFrontendClaimedTwiceStaysWithTheFirst() {
        var first = new ClusterService(new ServiceRef("x", "a"), ClusterService.Type.NODE_PORT, List.of(ip("10.96.0.1")), List.of(ip("192.0.2.1")),
                List.of(), List.of(new ServicePort("web", Protocol.TCP, 80, new ServicePort.TargetPort.Number(8080), 30080)), 0, false, false, 0, false);
        var second = new ClusterService(new ServiceRef("y", "b"), ClusterService.Type.NODE_PORT, List.of(ip("10.96.0.2")), List.of(ip("192.0.2.1")),
                List.of(), List.of(new ServicePort("", Protocol.TCP, 80, new ServicePort.TargetPort.Number(8080), 30080)), 0, false, false, 0, false);
        var itself = new ClusterService(new ServiceRef("z", "c"), ClusterService.Type.CLUSTER_IP, List.of(ip("10.96.0.3")), List.of(ip("10.96.0.3")),
                List.of(), List.of(new ServicePort("", Protocol.UDP, 53, new ServicePort.TargetPort.Number(53), 0)), 0, false, false, 0, false);

        ServiceTable table = ServiceCompiler.compile(ClusterState.builder().service(first).service(second).service(itself).build());

        assertThat(table.problems()).containsExactly(
                "Service y/b: external IP frontend 192.0.2.1:80/TCP is already Service x/a port web's; this frontend is left out",
                "Service y/b: NodePort frontend 30080/TCP is already Service x/a port web's; this frontend is left out");
        assertThat(table.frontends()).extracting(Frontend::service).containsExactly(0, 0, 0, 1, 2);
        assertThat(table.frontend(ip("192.0.2.1"), 80, Protocol.TCP)).map(Frontend::service).contains(0);
        assertThat(table.frontend(ip("10.96.0.2"), 80, Protocol.TCP)).map(Frontend::service).contains(1);
        assertThat(table.services()).hasSize(3);
    }

    @Test
    void copiesTheServiceSettings() {
        var service = new ClusterService(new ServiceRef("x", "web"), ClusterService.Type.NODE_PORT, List.of(ip("10.96.0.1")), List.of(), List.of(),
                List.of(HTTP), 600, true, true, 0, true);

        LoadBalanced balanced = ServiceCompiler.compile(ClusterState.builder().service(service).build()).services().getFirst();

        assertThat(balanced.affinitySeconds()).isEqualTo(600);
        assertThat(balanced.internalLocal()).isTrue();
        assertThat(balanced.externalLocal()).isTrue();
    }

    private static ServiceTable compile(ClusterEndpointSlice... slices) {
        ClusterState.Builder builder = ClusterState.builder().service(service("web", "10.96.0.1", HTTP));
        Arrays.stream(slices).forEach(builder::endpointSlice);
        return ServiceCompiler.compile(builder.build());
    }

    private static ClusterService service(String name, String clusterIp, ServicePort... ports) {
        return new ClusterService(new ServiceRef("x", name), ClusterService.Type.CLUSTER_IP, List.of(ip(clusterIp)), List.of(), List.of(),
                List.of(ports), 0, false, false, 0, true);
    }

    private static ClusterEndpointSlice slice(String name, ClusterEndpointSlice.Endpoint... endpoints) {
        return new ClusterEndpointSlice("x", name, "web", List.of(SLICE_HTTP), List.of(endpoints));
    }

    private static ClusterEndpointSlice.Endpoint endpoint(String address, boolean ready, boolean serving, boolean terminating) {
        return new ClusterEndpointSlice.Endpoint(List.of(ip(address)), ready, serving, terminating, null, null);
    }

    private static List<String> addresses(ServiceTable table) {
        return table.services().getFirst().backends().stream().map(b -> Ipv4.text(b.address()) + ":" + b.port()).toList();
    }

    private static int ip(String text) {
        return Ipv4.parse(text).orElseThrow();
    }
}
