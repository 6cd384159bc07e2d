package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.compiler.services.EndpointSliceController;
import dev.weir.compiler.services.ServiceRef;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads a cluster snapshot from YAML or JSON: one file, or every {@code *.yaml}, {@code *.yml} and
 * {@code *.json} file of a folder in name order (not its subfolders, as {@code kubectl -f} without
 * {@code -R}; what is not read is warned about). Files may hold several documents, and a document may be a
 * {@code kind: List} (or {@code PodList}, ...) as {@code kubectl get -o yaml} writes. YAML is resolved as
 * kubectl resolves it ({@link YamlDocuments}: aliases, merge keys, YAML 1.1 scalars; a document may be up to
 * 256 Mi characters, and memory grows with the largest document). Namespaces, Pods, networking.k8s.io/v1
 * NetworkPolicies, v1 Services and discovery.k8s.io/v1 EndpointSlices are kept; anything else is skipped with a
 * warning. A Service with a selector that no EndpointSlice of the input names gets the slices the EndpointSlice
 * controller would have made from the input's pods ({@link EndpointSliceController}), so that a snapshot of
 * Services and Pods alone load-balances as the cluster would.
 *
 * <p>An input that cannot be read at all (no such file, not YAML) throws {@link ClusterLoadException}. An
 * object that can be read but not used (a key given twice, a field of the wrong type, a null label value, a
 * pod IP that is no address) is refused with one line per problem, naming file, document, object and field,
 * and the rest still loads:
 * <ul>
 *   <li>a refused Namespace is left out, so it is taken to have only its name label: namespaceSelectors that
 *       needed its other labels match it no more, which allows less, never more;</li>
 *   <li>a refused Pod is left out of the snapshot: it gets no identity, and traffic from its address counts
 *       as from outside the cluster. That allows what ipBlocks allow the world; acceptable here because this
 *       snapshot is for compiling and simulating, and the operator reads pods from the API server, whose
 *       objects always bind;</li>
 *   <li>a NetworkPolicy is never left out for a broken rule, which would open the pods it isolates: only its
 *       broken rules are ({@link PolicyBinding});</li>
 *   <li>a Service or EndpointSlice loses what the broken field belongs to: a port, an address or an endpoint,
 *       or else the whole object ({@link ServiceBinding}, {@link EndpointSliceBinding}). Headless and
 *       ExternalName Services are ignored without a word (kube-proxy ignores them); IPv6 and FQDN
 *       EndpointSlices are skipped with a warning, and a Service's IPv6 addresses are refused.</li>
 * </ul>
 */
public final class ClusterLoader {

    private ClusterLoader() {}

    /**
     * The snapshot, the warnings about what was skipped, and the refusals (objects or rules that could not
     * be used), each in input order.
     */
    public record Loaded(ClusterState cluster, List<String> warnings, List<String> refused) {
        public Loaded {
            warnings = List.copyOf(warnings);
            refused = List.copyOf(refused);
        }
    }

    public static Loaded load(Path path) {
        var warnings = new ArrayList<String>();
        var refused = new ArrayList<String>();
        ClusterState cluster = load(path, warnings::add, refused::add);
        return new Loaded(cluster, warnings, refused);
    }

    /** Loads, passing warnings and refusals alike to {@code warnings} as they are found. */
    public static ClusterState load(Path path, Consumer<String> warnings) {
        return load(path, warnings, warnings);
    }

    /** Loads, passing each warning and each refusal to its consumer as it is found. */
    public static ClusterState load(Path path, Consumer<String> warnings, Consumer<String> refused) {
        var builder = ClusterState.builder();
        var services = new ServiceInputs(new LinkedHashMap<>(), new HashSet<>());
        for (Path file : inputFiles(path, warnings)) {
            new FileReader(file, builder, services, warnings, refused).read();
        }
        ClusterState cluster;
        try {
            cluster = EndpointSliceController.withDerivedSlices(builder.build(), services.unsliced());
        } catch (IllegalArgumentException e) {
            throw new ClusterLoadException(path + ": " + e.getMessage(), e); // e.g. a pod given twice
        }
        for (String namespace : cluster.implicitNamespaces()) {
            warnings.accept("namespace " + namespace + " is not in the input; assuming it has no labels but "
                    + ClusterNamespace.NAME_LABEL);
        }
        return cluster;
    }

    /**
     * What deriving EndpointSlices needs to know of the whole input: each kept Service's selector, and which
     * Services some EndpointSlice names (even one skipped or refused: then the input has slices for it).
     */
    private record ServiceInputs(Map<ServiceRef, Map<String, String>> selectors, Set<ServiceRef> sliced) {
        Map<ServiceRef, Map<String, String>> unsliced() {
            var unsliced = new LinkedHashMap<>(selectors);
            unsliced.keySet().removeAll(sliced);
            unsliced.values().removeIf(Map::isEmpty);
            return unsliced;
        }
    }

    private static List<Path> inputFiles(Path path, Consumer<String> warnings) {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new ClusterLoadException(path + ": no such file or folder");
            }
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            var files = new ArrayList<Path>();
            for (Path entry : entries.sorted().toList()) {
                if (Files.isDirectory(entry)) {
                    warnings.accept("skipping folder " + entry + ": -f reads one folder, not its subfolders");
                } else if (isJson(entry) || isYaml(entry)) {
                    files.add(entry);
                } else {
                    warnings.accept("skipping " + entry + ": not a .yaml, .yml or .json file");
                }
            }
            return files;
        } catch (IOException e) {
            throw new ClusterLoadException(path + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static boolean isJson(Path file) {
        return file.getFileName().toString().endsWith(".json");
    }

    /** Reads one file's documents into the builder. */
    private static final class FileReader {
        private final Path file;
        private final ClusterState.Builder builder;
        private final ServiceInputs services;
        private final Consumer<String> warnings;
        private final Consumer<String> refused;
        private int objects;

        FileReader(Path file, ClusterState.Builder builder, ServiceInputs services, Consumer<String> warnings, Consumer<String> refused) {
            this.file = file;
            this.builder = builder;
            this.services = services;
            this.warnings = warnings;
            this.refused = refused;
        }

        void read() {
            try (var documents = InputDocuments.open(file)) {
                while (documents.hasNext()) {
                    InputDocument document = documents.next();
                    if (document.content() != null) { // else an empty document, e.g. a trailing "---"
                        readObject(document.content(), FieldPath.ROOT, document, file + " (document " + document.number() + ")");
                    }
                }
            } catch (IOException e) {
                throw new ClusterLoadException(file + ": cannot read: " + e.getMessage(), e);
            }
            if (objects == 0) {
                warnings.accept(file + ": holds no objects");
            }
        }

        private void readObject(JsonNode node, FieldPath at, InputDocument document, String where) {
            objects++;
            if (!node.isObject()) {
                refused.accept(where + ": expected a Kubernetes object (a map), found " + StrictBinding.describe(node)
                        + "; it is skipped");
                return;
            }
            String kind = node.path("kind").asText("");
            String apiVersion = node.path("apiVersion").asText("");
            String name = node.path("metadata").path("name").asText("<unnamed>");
            String described = kind.isEmpty() ? "object without kind" : kind + " " + name;
            var duplicates = document.duplicateKeys().stream().filter(key -> key.field().startsWith(at)).toList();
            if (kind.endsWith("List") && node.has("items")) {
                readList(node, at, document, where + " " + kind, duplicates);
                return;
            }
            var broken = duplicates.stream()
                    .map(key -> new PolicyBinding.Broken(key.field().relativeTo(at), key.problem())).toList();
            switch (kind) {
                case "Namespace" -> {
                    if (hasVersion(apiVersion, "v1", described, where)) {
                        readNamespace((ObjectNode) node, broken, where);
                    }
                }
                case "Pod" -> {
                    if (hasVersion(apiVersion, "v1", described, where)) {
                        readPod((ObjectNode) node, broken, described, where);
                    }
                }
                case "NetworkPolicy" -> {
                    if (hasVersion(apiVersion, "networking.k8s.io/v1", described, where)) {
                        PolicyBinding.Result result = PolicyBinding.bind((ObjectNode) node, broken);
                        result.refusals().forEach(line -> refused.accept(where + ": " + line));
                        if (result.policy() != null) {
                            builder.policy(result.policy());
                        }
                    }
                }
                case "Service" -> {
                    if (hasVersion(apiVersion, "v1", described, where)) {
                        readService((ObjectNode) node, broken, where);
                    }
                }
                case "EndpointSlice" -> {
                    if (hasVersion(apiVersion, "discovery.k8s.io/v1", described, where)) {
                        readEndpointSlice((ObjectNode) node, broken, where);
                    }
                }
                default -> warnings.accept(where + ": skipping " + described + (kind.isEmpty() ? "" : " (" + apiVersion + ")")
                        + ": not a Namespace, Pod, NetworkPolicy, Service or EndpointSlice");
            }
        }

        private void readService(ObjectNode node, List<PolicyBinding.Broken> broken, String where) {
            if (refuseAll(broken, "Service " + PolicyBinding.key(node), ServiceBinding.SERVICE_LEFT_OUT, where)) {
                return;
            }
            ServiceBinding.Result result = ServiceBinding.bind(node);
            result.refusals().forEach(line -> refused.accept(where + ": " + line));
            if (result.service() != null) {
                builder.service(result.service());
                services.selectors().put(result.service().ref(), result.selector());
            }
        }

        private void readEndpointSlice(ObjectNode node, List<PolicyBinding.Broken> broken, String where) {
            ServiceRef service = EndpointSliceBinding.serviceOf(node);
            if (service != null) {
                services.sliced().add(service);
            }
            if (refuseAll(broken, "EndpointSlice " + PolicyBinding.key(node), EndpointSliceBinding.SLICE_LEFT_OUT, where)) {
                return;
            }
            EndpointSliceBinding.Result result = EndpointSliceBinding.bind(node);
            result.refusals().forEach(line -> refused.accept(where + ": " + line));
            if (result.warning() != null) {
                warnings.accept(where + ": " + result.warning());
            }
            if (result.slice() != null) {
                builder.endpointSlice(result.slice());
            }
        }

        private void readNamespace(ObjectNode node, List<PolicyBinding.Broken> broken, String where) {
            String described = "Namespace " + node.path("metadata").path("name").asText("<unnamed>");
            String leftOut = "the namespace is left out (taken to have no labels but its name)";
            if (refuseAll(broken, described, leftOut, where)) {
                return;
            }
            try {
                builder.namespace(StrictBinding.bind(node, Namespace.class));
            } catch (StrictBinding.Mismatch mismatch) {
                refused.accept(where + ": " + described + ": " + mismatch.field() + ": " + mismatch.problem() + "; " + leftOut);
            } catch (InvalidFieldException invalid) {
                refused.accept(where + ": " + invalid.getMessage() + "; " + leftOut);
            }
        }

        private void readPod(ObjectNode node, List<PolicyBinding.Broken> broken, String skipped, String where) {
            String described = "Pod " + PolicyBinding.key(node);
            String leftOut = "the pod is left out (it gets no identity)";
            if (refuseAll(broken, described, leftOut, where)) {
                return;
            }
            try {
                Pod pod = StrictBinding.bind(node, Pod.class);
                String outside = FromFabric8.outsidePolicy(pod);
                if (outside == null) {
                    builder.pod(pod);
                } else {
                    warnings.accept(where + ": skipping " + skipped + ": " + outside);
                }
            } catch (StrictBinding.Mismatch mismatch) {
                refused.accept(where + ": " + described + ": " + mismatch.field() + ": " + mismatch.problem() + "; " + leftOut);
            } catch (InvalidFieldException invalid) {
                refused.accept(where + ": " + invalid.getMessage() + "; " + leftOut);
            }
        }

        /** One line per key given twice; true when there was any, and the object is refused. */
        private boolean refuseAll(List<PolicyBinding.Broken> broken, String described, String consequence, String where) {
            broken.forEach(b -> refused.accept(where + ": " + described + ": " + b.field() + ": " + b.problem() + "; " + consequence));
            return !broken.isEmpty();
        }

        private void readList(JsonNode list, FieldPath at, InputDocument document, String where,
                              List<InputDocument.DuplicateKey> duplicates) {
            FieldPath items = at.field("items");
            var ownKeys = duplicates.stream().filter(key -> !key.field().startsWith(items) || key.field().equals(items)).toList();
            if (!ownKeys.isEmpty()) {
                ownKeys.forEach(key -> refused.accept(where + ": " + key.field().relativeTo(at) + ": " + key.problem()
                        + "; the list is skipped"));
                return;
            }
            JsonNode content = list.get("items");
            if (content.isNull()) {
                return;
            }
            if (!content.isArray()) {
                refused.accept(where + ": items: expected a list, found " + StrictBinding.describe(content) + "; the list is skipped");
                return;
            }
            objects--; // the list is not an object of its own; its items are
            for (int i = 0; i < content.size(); i++) {
                readObject(content.get(i), items.index(i), document, where + " items[" + i + "]");
            }
        }

        /** Other versions (e.g. extensions/v1beta1 NetworkPolicy) have other semantics: skip them, loudly. */
        private boolean hasVersion(String actual, String expected, String described, String where) {
            if (expected.equals(actual)) {
                return true;
            }
            warnings.accept(where + ": skipping " + described + ": apiVersion '" + actual + "' is not " + expected);
            return false;
        }
    }
}
