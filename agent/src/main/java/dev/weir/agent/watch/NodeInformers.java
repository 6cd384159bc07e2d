package dev.weir.agent.watch;

import dev.weir.agent.enforce.ArtifactSource;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactVerifier;
import dev.weir.crds.signing.Ed25519Keys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's view of the cluster: informers on WeirNodes, WeirPrograms, WeirMapChunks and (unless the key is
 * pinned on the node) the operator's public key. Every change calls one callback.
 */
final class NodeInformers implements ArtifactSource, AutoCloseable {
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final String operatorNamespace;
    private final String pinnedKey;
    private final SharedIndexInformer<ConfigMap> keys;
    private final SharedIndexInformer<WeirProgram> programs;
    private final SharedIndexInformer<WeirMapChunk> chunks;
    private final SharedIndexInformer<WeirNode> nodes;

    /** Starts the informers; {@code changed} may be called before this returns (informers call as they list). */
    NodeInformers(KubernetesClient client, String operatorNamespace, String pinnedKey, Runnable changed) {
        this.operatorNamespace = operatorNamespace;
        this.pinnedKey = pinnedKey;
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                changed.run();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                changed.run();
            }

            @Override
            public void onDelete(HasMetadata object, boolean unknownFinalState) {
                changed.run();
            }
        };
        keys = pinnedKey != null ? null : watch(client.configMaps().inNamespace(operatorNamespace).inform(cast(handler)));
        programs = watch(client.resources(WeirProgram.class).inform(cast(handler)));
        chunks = watch(client.resources(WeirMapChunk.class).inform(cast(handler)));
        nodes = watch(client.resources(WeirNode.class).inform(cast(handler)));
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    /** The verifier of the operator's signatures, or null while its public key is not published. */
    ArtifactVerifier verifier() {
        String key = pinnedKey;
        if (key == null) {
            ConfigMap map = keys.getStore().getByKey(operatorNamespace + "/" + NodeWatcher.PUBLIC_KEY_CONFIG_MAP);
            key = map == null || map.getData() == null ? null : map.getData().get(NodeWatcher.PUBLIC_KEY);
        }
        return key == null ? null : new ArtifactVerifier(Ed25519Keys.publicKey(key));
    }

    @Override
    public WeirNode node(String name) {
        return nodes.getStore().getByKey(name);
    }

    @Override
    public WeirProgram program(String name) {
        return programs.getStore().getByKey(name);
    }

    @Override
    public WeirMapChunk chunk(String name) {
        return chunks.getStore().getByKey(name);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
