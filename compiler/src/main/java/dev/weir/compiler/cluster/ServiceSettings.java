package dev.weir.compiler.cluster;

import dev.weir.compiler.services.ClusterService;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.List;
import java.util.Map;

/**
 * A Service's settings besides its addresses and ports, checked and defaulted as upstream's ValidateService and
 * SetDefaults_Service do. A bad one leaves the Service out: how to balance it would be a guess.
 *
 * @param selector {@code spec.selector}; empty when absent or {@code {}} (which the API server stores as absent)
 */
record ServiceSettings(int affinitySeconds, boolean internalLocal, boolean externalLocal, int healthCheckNodePort,
                       Map<String, String> selector) {

    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");
    private static final String LEFT_OUT = ServiceBinding.SERVICE_LEFT_OUT;

    static ServiceSettings read(ServiceSpec spec, ClusterService.Type type, Refusals refusals) {
        List<String> families = FromFabric8.nullToEmpty(spec.getIpFamilies());
        for (int i = 0; i < families.size(); i++) {
            if (!"IPv4".equals(families.get(i)) && !"IPv6".equals(families.get(i))) {
                refusals.add(SPEC.field("ipFamilies").index(i), FieldErrors.unsupported(families.get(i), "IPv4", "IPv6"), LEFT_OUT);
            }
        }
        String familyPolicy = spec.getIpFamilyPolicy();
        if (familyPolicy != null && !List.of("SingleStack", "PreferDualStack", "RequireDualStack").contains(familyPolicy)) {
            refusals.add(SPEC.field("ipFamilyPolicy"), FieldErrors.unsupported(familyPolicy, "PreferDualStack", "RequireDualStack", "SingleStack"), LEFT_OUT);
        }
        int affinity = affinitySeconds(spec, refusals);
        boolean internalLocal = isLocal(spec.getInternalTrafficPolicy(), "internalTrafficPolicy", refusals);
        boolean externalLocal = isLocal(spec.getExternalTrafficPolicy(), "externalTrafficPolicy", refusals);
        boolean externallyAccessible = type != ClusterService.Type.CLUSTER_IP || !FromFabric8.nullToEmpty(spec.getExternalIPs()).isEmpty();
        String external = spec.getExternalTrafficPolicy();
        if (("Cluster".equals(external) || "Local".equals(external)) && !externallyAccessible) {
            refusals.add(SPEC.field("externalTrafficPolicy"), FieldErrors.invalid(external, "may only be set for externally-accessible services"), LEFT_OUT);
        }
        int healthCheck = spec.getHealthCheckNodePort() == null ? 0 : spec.getHealthCheckNodePort();
        if (healthCheck != 0) {
            FieldPath field = SPEC.field("healthCheckNodePort");
            if (type != ClusterService.Type.LOAD_BALANCER || !externalLocal) {
                refusals.add(field, FieldErrors.invalid(healthCheck, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"), LEFT_OUT);
            } else if (healthCheck < 1 || healthCheck > 65535) {
                refusals.add(field, FieldErrors.invalid(healthCheck, "must be between 1 and 65535"), LEFT_OUT);
            }
        }
        Map<String, String> selector = spec.getSelector() == null ? Map.of() : spec.getSelector();
        selector.forEach((key, value) -> {
            if (value == null) refusals.add(SPEC.field("selector").field(key), "must not be null", LEFT_OUT);
        });
        return new ServiceSettings(affinity, internalLocal, externalLocal, healthCheck,
                selector.containsValue(null) ? Map.of() : Map.copyOf(selector));
    }

    /** ClientIP affinity's timeout, {@value ClusterService#DEFAULT_AFFINITY_SECONDS} s unless given; 0 for None. */
    private static int affinitySeconds(ServiceSpec spec, Refusals refusals) {
        String affinity = spec.getSessionAffinity();
        if (affinity == null || affinity.isEmpty() || "None".equals(affinity)) return 0;
        if (!"ClientIP".equals(affinity)) {
            refusals.add(SPEC.field("sessionAffinity"), FieldErrors.unsupported(affinity, "ClientIP", "None"), LEFT_OUT);
            return 0;
        }
        var config = spec.getSessionAffinityConfig();
        Integer timeout = config == null || config.getClientIP() == null ? null : config.getClientIP().getTimeoutSeconds();
        if (timeout == null) return ClusterService.DEFAULT_AFFINITY_SECONDS;
        if (timeout < 1 || timeout > ClusterService.MAX_AFFINITY_SECONDS) {
            refusals.add(SPEC.field("sessionAffinityConfig").field("clientIP").field("timeoutSeconds"),
                    FieldErrors.invalid(timeout, "must be between 1 and " + ClusterService.MAX_AFFINITY_SECONDS), LEFT_OUT);
            return 0;
        }
        return timeout;
    }

    /** A traffic policy: absent (or empty) means Cluster. */
    private static boolean isLocal(String policy, String field, Refusals refusals) {
        if (policy == null || policy.isEmpty() || "Cluster".equals(policy)) return false;
        if ("Local".equals(policy)) return true;
        refusals.add(SPEC.field(field), FieldErrors.unsupported(policy, "Cluster", "Local"), LEFT_OUT);
        return false;
    }
}
