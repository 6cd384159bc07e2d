package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.compiler.services.ClusterEndpointSlice;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.ServicePort;
import dev.weir.compiler.services.ServiceRef;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterStateServicesTest {

    private static final ClusterService WEB = service("shop", "web"), API = service("shop", "api");
    private static final ClusterEndpointSlice WEB_1 = slice("web-1", "web"), API_1 = slice("api-1", "api"), WEB_2 = slice("web-2", "web");
    private static final PodRef POD = PodRef.parse("shop/web-a");

    private static final ClusterState CLUSTER = ClusterState.builder()
            .namespace(new ClusterNamespace("shop", Map.of("team", "a")))
            .pod(new ClusterPod("shop", "web-a", Map.of("app", "web"), "10.0.0.1", List.of()))
            .policy(policy("deny"))
            .service(WEB).service(API)
            .endpointSlice(WEB_1).endpointSlice(API_1).endpointSlice(WEB_2)
            .build();

    static Stream<Arguments> withMethods() {
        return Stream.of(
                change("toBuilder", cluster -> cluster.toBuilder().build()),
                change("withPolicy (added)", cluster -> cluster.withPolicy(policy("other"))),
                change("withPolicy (replaced)", cluster -> cluster.withPolicy(policy("deny"))),
                change("withPolicies", cluster -> cluster.withPolicies(List.of(policy("a"), policy("b")))),
                change("withoutPolicies", ClusterState::withoutPolicies),
                change("withPodLabels", cluster -> cluster.withPodLabels(POD, Map.of("app", "canary"))),
                change("withNamespaceLabels", cluster -> cluster.withNamespaceLabels("shop", Map.of("team", "b"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withMethods")
    void everyWithMethodKeepsServicesAndSlicesInOrder(String name, UnaryOperator<ClusterState> change) {
        ClusterState changed = change.apply(CLUSTER);

        assertThat(changed.services()).containsExactly(WEB, API);
        assertThat(changed.endpointSlices()).containsExactly(WEB_1, API_1, WEB_2);
        assertThat(changed.endpointSlices(WEB.ref())).containsExactly(WEB_1, WEB_2);
        assertThat(changed.implicitNamespaces()).isEmpty();
    }

    @Test
    void servicesAndSlicesImplyTheirNamespaces() {
        ClusterState cluster = ClusterState.builder().service(service("a", "s")).endpointSlice(new ClusterEndpointSlice("b", "s-1", "s", List.of(), List.of())).build();

        assertThat(cluster.implicitNamespaces()).containsExactly("a", "b");
        assertThat(cluster.service(new ServiceRef("a", "s"))).isPresent();
        assertThat(cluster.service(new ServiceRef("b", "s"))).isEmpty();
        assertThat(cluster.endpointSlices(new ServiceRef("a", "s"))).as("a slice is its own namespace's Service's").isEmpty();
    }

    @Test
    void aServiceOrSliceGivenTwiceIsRefused() {
        assertThatThrownBy(() -> ClusterState.builder().service(WEB).service(WEB).build()).hasMessage("Service shop/web is given twice");
        assertThatThrownBy(() -> ClusterState.builder().endpointSlice(WEB_1).endpointSlice(slice("web-1", "api")).build())
                .hasMessage("EndpointSlice shop/web-1 is given twice");
    }

    private static Arguments change(String name, UnaryOperator<ClusterState> change) {
        return Arguments.of(name, change);
    }

    private static ClusterService service(String namespace, String name) {
        return new ClusterService(new ServiceRef(namespace, name), ClusterService.Type.CLUSTER_IP, List.of(0x0a600001), List.of(), List.of(),
                List.of(new ServicePort("", Protocol.TCP, 80, new ServicePort.TargetPort.Number(8080), 0)), 0, false, false, 0, true);
    }

    private static ClusterEndpointSlice slice(String name, String service) {
        return new ClusterEndpointSlice("shop", name, service, List.of(new ClusterEndpointSlice.Port("", Protocol.TCP, 8080)),
                List.of(new ClusterEndpointSlice.Endpoint(List.of(0x0a000001), true, true, false, null, POD)));
    }

    private static NetworkPolicy policy(String name) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().endSpec().build();
    }
}
