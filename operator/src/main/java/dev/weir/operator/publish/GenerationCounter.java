package dev.weir.operator.publish;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The generation counter, kept in the ConfigMap {@value #CONFIG_MAP} of the operator's namespace rather than
 * derived from WeirNodes, which more parties may write: agents refuse a WeirNode older than the one they
 * run, so the counter must only grow. When the ConfigMap is lost it continues from the nodes' highest.
 */
final class GenerationCounter {
    static final String CONFIG_MAP = "weir-generation", KEY = "generation";

    private final KubernetesClient client;
    private final String namespace;
    private long known = -1;

    GenerationCounter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The generation last published (0 before the first). */
    long current(Published existing) {
        if (known < 0) {
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
            String value = map == null || map.getData() == null ? null : map.getData().get(KEY);
            long stored = 0;
            try {
                stored = value == null ? 0 : Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("ConfigMap " + namespace + "/" + CONFIG_MAP + ": " + KEY + " is not a number: " + value);
            }
            known = Math.max(stored, existing.nodeGeneration());
        }
        return known;
    }

    /** Stores {@code generation} before anything carrying it is written, so no number is handed out twice. */
    void advance(long generation) {
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "weir-operator").endMetadata()
                .withData(Map.of(KEY, Long.toString(generation))).build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(existing -> existing.update());
        known = generation;
    }
}
