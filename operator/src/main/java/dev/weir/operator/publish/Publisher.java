package dev.weir.operator.publish;

import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Makes the API hold a {@link DesiredState}: creates what is missing, replaces what differs (by spec: for
 * content-addressed programs and chunks that only happens when someone altered them), and deletes Weir
 * objects no longer wanted. Unchanged objects are not written, so publishing the same state twice (an
 * operator restart) writes nothing, and a change writes only the chunks it changed. Everything new is
 * written before anything is deleted, and the chunks and programs that the WeirNodes named before this pass
 * are kept until the next one, since agents may still be loading them.
 */
@SuppressWarnings("unchecked")
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

    public Changes publish(DesiredState desired) {
        return publish(desired, Published.read(client));
    }

    /** @param existing what the API held when the pass began; updated to what it holds after */
    Changes publish(DesiredState desired, Published existing) {
        var counts = new int[3];
        java.util.Set<String> namedBefore = existing.namedByNodes();
        // Everything new first, in the order agents need it (programs and chunks before the nodes naming
        // them); deletions only after, in reverse.
        upsert(WeirProgram.class, desired.programs(), existing.programs(), counts);
        upsert(WeirMapChunk.class, desired.chunks(), existing.chunks(), counts);
        upsert(WeirIdentity.class, desired.identities(), existing.identities(), counts);
        upsert(WeirNode.class, desired.nodes(), existing.nodes(), counts);
        delete(existing.nodes(), desired.nodes(), counts, node -> false);
        delete(existing.identities(), desired.identities(), counts, identity -> false);
        delete(existing.chunks(), desired.chunks(), counts, chunk -> namedBefore.contains(chunk.getMetadata().getName()));
        delete(existing.programs(), desired.programs(), counts, program -> namedBefore.contains(program.getMetadata().getName()));
        return new Changes(counts[0], counts[1], counts[2]);
    }

    /** Creates and replaces objects of one kind. */
    private <T extends CustomResource<?, ?>> void upsert(Class<T> type, List<T> wanted, Map<String, T> existing, int[] counts) {
        var resources = client.resources(type);
        for (T item : wanted) {
            T current = existing.get(item.getMetadata().getName());
            if (current == null) {
                existing.put(item.getMetadata().getName(), resources.resource(item).create());
                counts[0]++;
            } else if (!Objects.equals(current.getSpec(), item.getSpec())) {
                // Unconditional: an agent writing the status in between must not fail the pass.
                item.getMetadata().setResourceVersion(null);
                existing.put(item.getMetadata().getName(), resources.resource(item).update());
                counts[1]++;
            }
        }
    }

    /** Deletes what existed and is not wanted, unless {@code stillNeeded}. */
    private <T extends CustomResource<?, ?>> void delete(Map<String, T> existing, List<T> wanted, int[] counts, Predicate<T> stillNeeded) {
        Set<String> wantedNames = wanted.stream().map(item -> item.getMetadata().getName()).collect(Collectors.toSet());
        for (T item : List.copyOf(existing.values())) {
            String name = item.getMetadata().getName();
            if (!wantedNames.contains(name) && !stillNeeded.test(item)) {
                client.resources((Class<T>) item.getClass()).withName(name).delete();
                existing.remove(name);
                counts[2]++;
            }
        }
    }
}
