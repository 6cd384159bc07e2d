package dev.weir.operator.publish;

import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Makes the API hold a {@link DesiredState}: creates what is missing, replaces what differs (by spec), and
 * deletes Weir objects no longer wanted. Unchanged objects are not written, so publishing the same state
 * twice (an operator restart) writes nothing. Map chunks of the previous generation are kept, since agents
 * may still be loading it; older ones go.
 */
public final class Publisher {

    /** What one publication wrote. */
    public record Changes(int created, int replaced, int deleted) {
        public int total() {
            return created + replaced + deleted;
        }
    }

    private final KubernetesClient client;

    public Publisher(KubernetesClient client) {
        this.client = client;
    }

    public Changes publish(DesiredState desired, long generation) {
        var counts = new int[3];
        // Order matters for agents: programs and chunks exist before the nodes that name them.
        sync(WeirProgram.class, desired.programs(), counts, program -> false);
        sync(WeirMapChunk.class, desired.chunks(), counts, chunk -> chunk.getSpec().generation() >= generation - 1);
        sync(WeirIdentity.class, desired.identities(), counts, identity -> false);
        sync(WeirNode.class, desired.nodes(), counts, node -> false);
        return new Changes(counts[0], counts[1], counts[2]);
    }

    /** Creates, replaces and deletes objects of one kind; {@code stillNeeded} spares unwanted ones from deletion. */
    private <T extends CustomResource<?, ?>> void sync(Class<T> type, List<T> wanted, int[] counts, Predicate<T> stillNeeded) {
        var resources = client.resources(type);
        Map<String, T> existing = new HashMap<>();
        for (T item : resources.list().getItems()) existing.put(item.getMetadata().getName(), item);
        Set<String> wantedNames = wanted.stream().map(item -> item.getMetadata().getName()).collect(Collectors.toSet());
        for (T item : wanted) {
            T current = existing.get(item.getMetadata().getName());
            if (current == null) {
                resources.resource(item).create();
                counts[0]++;
            } else if (!Objects.equals(current.getSpec(), item.getSpec())) {
                item.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                resources.resource(item).update();
                counts[1]++;
            }
        }
        for (T item : existing.values()) {
            String name = item.getMetadata().getName();
            if (!wantedNames.contains(name) && !stillNeeded.test(item)) {
                resources.withName(name).delete();
                counts[2]++;
            }
        }
    }
}
