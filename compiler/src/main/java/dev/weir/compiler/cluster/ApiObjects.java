package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.compiler.services.ClusterEndpointSlice;
import dev.weir.compiler.services.ClusterService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * Binds Services and EndpointSlices read from the API (the operator's informers) with the loader's rules, so a
 * file and a cluster refuse the same fields. Fabric8 has already bound them leniently; they go back to a tree
 * and through {@link ServiceBinding} / {@link EndpointSliceBinding} again.
 */
public final class ApiObjects {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private ApiObjects() {}

    /**
     * @param value    what is kept, or null when the object is left out or ignored (headless, IPv6 slice)
     * @param problems one line per refused field, naming the object and what is left out
     * @param warning  why a valid object is skipped, or null
     */
    public record Bound<T>(T value, List<String> problems, String warning) {
        public Bound {
            problems = List.copyOf(problems);
        }
    }

    public static Bound<ClusterService> service(Service service) {
        ServiceBinding.Result result = ServiceBinding.bind(tree(service));
        return new Bound<>(result.service(), result.refusals(), null);
    }

    public static Bound<ClusterEndpointSlice> endpointSlice(EndpointSlice slice) {
        EndpointSliceBinding.Result result = EndpointSliceBinding.bind(tree(slice));
        return new Bound<>(result.slice(), result.refusals(), result.warning());
    }

    private static ObjectNode tree(Object object) {
        return PLAIN.valueToTree(object);
    }
}
