package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.services.ClusterEndpointSlice;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.ServicePort;
import dev.weir.compiler.services.ServiceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterLoaderServicesTest {

    @TempDir
    Path dir;

    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              type: LoadBalancer
              clusterIP: 10.96.0.10
              externalIPs: [192.0.2.10]
              selector: {app: web}
              sessionAffinity: ClientIP
              externalTrafficPolicy: Local
              internalTrafficPolicy: Local
              healthCheckNodePort: 31999
              ports:
              - {name: http, port: 80, targetPort: http, nodePort: 30080}
              - {name: metrics, port: 9090, protocol: UDP}
            status:
              loadBalancer:
                ingress: [{ip: 203.0.113.10}, {hostname: lb.example.com}, {ip: 203.0.113.11, ipMode: Proxy}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: dns, namespace: kube-system}
            spec:
              clusterIP: 10.96.0.53
              sessionAffinity: ClientIP
              sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
              ports: [{port: 53, protocol: UDP, targetPort: 5353}]
            """;

    @Test
    void readsServices() throws IOException {
        Path file = write("services.yaml", SERVICES);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).isEmpty();
        assertThat(loaded.cluster().services()).extracting(ClusterService::ref)
                .containsExactly(new ServiceRef("shop", "web"), new ServiceRef("kube-system", "dns"));
        ClusterService web = loaded.cluster().services().getFirst();
        assertThat(web.type()).isEqualTo(ClusterService.Type.LOAD_BALANCER);
        assertThat(web.clusterIps()).containsExactly(ip("10.96.0.10"));
        assertThat(web.externalIps()).containsExactly(ip("192.0.2.10"));
        assertThat(web.loadBalancerIps()).as("hostnames and Proxy-mode addresses are not the node's").containsExactly(ip("203.0.113.10"));
        assertThat(web.ports()).containsExactly(
                new ServicePort("http", Protocol.TCP, 80, new ServicePort.TargetPort.Named("http"), 30080),
                new ServicePort("metrics", Protocol.UDP, 9090, new ServicePort.TargetPort.Number(9090), 0));
        assertThat(web.affinitySeconds()).isEqualTo(ClusterService.DEFAULT_AFFINITY_SECONDS);
        assertThat(web.internalLocal()).isTrue();
        assertThat(web.externalLocal()).isTrue();
        assertThat(web.healthCheckNodePort()).isEqualTo(31999);
        assertThat(web.selected()).isTrue();
        ClusterService dns = loaded.cluster().services().get(1);
        assertThat(dns.type()).isEqualTo(ClusterService.Type.CLUSTER_IP);
        assertThat(dns.ports()).containsExactly(new ServicePort("", Protocol.UDP, 53, new ServicePort.TargetPort.Number(5353), 0));
        assertThat(dns.affinitySeconds()).isEqualTo(60);
        assertThat(dns.internalLocal() || dns.externalLocal() || dns.selected()).isFalse();
    }

    @Test
    void readsEndpointSlicesInsideAList() throws IOException {
        Path file = write("slices.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: discovery.k8s.io/v1
                  kind: EndpointSlice
                  metadata:
                    name: web-abcde
                    namespace: shop
                    labels: {kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}
                  addressType: IPv4
                  ports: [{name: http, port: 8080, protocol: TCP}, {port: 9090, protocol: UDP}]
                  endpoints:
                  - addresses: [10.0.0.1]
                    nodeName: node-1
                    targetRef: {kind: Pod, name: web-1, namespace: shop}
                  - addresses: [10.0.0.2, 10.0.0.3]
                    conditions: {ready: false, terminating: true}
                    targetRef: {kind: Pod, name: web-2}
                  - addresses: [10.0.0.4]
                    conditions: {ready: false, serving: true, terminating: true}
                    targetRef: {kind: Node, name: node-2}
                - apiVersion: discovery.k8s.io/v1
                  kind: EndpointSlice
                  metadata: {name: web-v6, namespace: shop, labels: {kubernetes.io/service-name: web}}
                  addressType: IPv6
                  endpoints: [{addresses: ["fd00::1"]}]
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).isEmpty();
        assertThat(loaded.warnings()).containsExactly(
                file + " (document 1) List items[1]: skipping EndpointSlice shop/web-v6: addressType IPv6 is not supported yet (only IPv4)",
                "namespace shop is not in the input; assuming it has no labels but kubernetes.io/metadata.name");
        ClusterEndpointSlice slice = loaded.cluster().endpointSlices().getFirst();
        assertThat(loaded.cluster().endpointSlices()).hasSize(1);
        assertThat(loaded.cluster().endpointSlices(new ServiceRef("shop", "web"))).containsExactly(slice);
        assertThat(slice.service()).isEqualTo("web");
        assertThat(slice.ports()).containsExactly(new ClusterEndpointSlice.Port("http", Protocol.TCP, 8080),
                new ClusterEndpointSlice.Port("", Protocol.UDP, 9090));
        assertThat(slice.endpoints()).containsExactly(
                new ClusterEndpointSlice.Endpoint(List.of(ip("10.0.0.1")), true, true, false, "node-1", PodRef.parse("shop/web-1")),
                new ClusterEndpointSlice.Endpoint(List.of(ip("10.0.0.2"), ip("10.0.0.3")), false, false, true, null, PodRef.parse("shop/web-2")),
                new ClusterEndpointSlice.Endpoint(List.of(ip("10.0.0.4")), false, true, true, null, null));
    }

    @Test
    void ignoresHeadlessAndExternalNameServicesWithoutAWord() throws IOException {
        Path file = write("ignored.yaml", """
                {apiVersion: v1, kind: Namespace, metadata: {name: x}}
                ---
                {apiVersion: v1, kind: Service, metadata: {name: headless, namespace: x}, spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}}
                ---
                {apiVersion: v1, kind: Service, metadata: {name: headless-too, namespace: x}, spec: {clusterIPs: [None], ports: [{port: 5432}]}}
                ---
                {apiVersion: v1, kind: Service, metadata: {name: external, namespace: x}, spec: {type: ExternalName, externalName: db.example.com}}
                ---
                {apiVersion: v1, kind: Pod, metadata: {name: db, namespace: x, labels: {app: db}}, status: {podIP: 10.0.0.5}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.refused()).isEmpty();
        assertThat(loaded.cluster().services()).isEmpty();
        assertThat(loaded.cluster().endpointSlices()).as("no slices derived for a headless Service").isEmpty();
    }

    @Test
    void aServiceGivenTwiceIsAnError() throws IOException {
        String service = "{apiVersion: v1, kind: Service, metadata: {name: s, namespace: x}, spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}}\n";
        Path file = write("twice.yaml", service + "---\n" + service);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterLoader.load(file))
                .isInstanceOf(ClusterLoadException.class).hasMessageContaining("Service x/s is given twice");
    }

    private static int ip(String text) {
        return Ipv4.parse(text).orElseThrow();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
