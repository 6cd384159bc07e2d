package dev.weir.operator.numbering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.compiler.compile.Numbering;
import dev.weir.compiler.compile.SelectorBits;
import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.identity.LabelSet;
import dev.weir.compiler.maps.WeirMaps;
import dev.weir.compiler.policy.Cidr;
import dev.weir.compiler.policy.Direction;
import dev.weir.compiler.policy.LabelSelection;
import dev.weir.compiler.policy.Peer;
import dev.weir.compiler.policy.PodSelection;
import dev.weir.crds.WeirIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the compiler's numbering across operator restarts, so that a restart renumbers nothing and
 * republishes nothing. Identities come back from the published WeirIdentity objects (they are the truth
 * agents use); selector bits, port-name ids and map sizes, which only programs embed, live in the ConfigMap
 * {@value #CONFIG_MAP} of the operator's namespace, as JSON.
 */
public final class NumberingStore {
    public static final String CONFIG_MAP = "weir-numbering", KEY = "numbering.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(NumberingStore.class.getName());

    record Requirement(String key, String operator, List<String> values) {}

    record Selection(int bit, String namespace, List<Requirement> namespaces, List<Requirement> pods) {}

    record Block(int bit, String cidr, List<String> except) {}

    record Isolated(int bit, String namespace, String direction) {}

    record Stored(WeirMaps.Sizes sizes, List<Selection> selections, List<Block> blocks, List<Isolated> isolation,
                  Map<String, Integer> names) {}

    private final KubernetesClient client;
    private final String namespace;
    private String saved;

    public NumberingStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The numbering last saved, with identities from the WeirIdentity objects; NONE on a first start. */
    public Numbering load() {
        Identities identities = identities();
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
        String json = map == null || map.getData() == null ? null : map.getData().get(KEY);
        if (json == null) {
            return new Numbering(identities, SelectorBits.EMPTY, Numbering.NONE.sizes());
        }
        try {
            Stored stored = JSON.readValue(json, Stored.class);
            saved = json;
            return new Numbering(identities, bits(stored), stored.sizes());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("ConfigMap " + namespace + "/" + CONFIG_MAP + " holds no readable numbering: " + e.getMessage(), e);
        }
    }

    /** Writes the numbering when it differs from what is stored. */
    public void save(Numbering numbering) {
        String json;
        try {
            json = JSON.writeValueAsString(stored(numbering));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbering does not serialise", e);
        }
        if (json.equals(saved)) return;
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "weir-operator").endMetadata()
                .withData(Map.of(KEY, json)).build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(existing -> existing.update());
        saved = json;
    }

    private Identities identities() {
        var pods = new LinkedHashMap<LabelSet, Integer>();
        var prefixes = new LinkedHashMap<Cidr, Integer>();
        var numbers = new java.util.HashSet<Integer>();
        for (WeirIdentity identity : client.resources(WeirIdentity.class).list().getItems()) {
            WeirIdentity.Spec spec = identity.getSpec();
            // These objects are writable by others: take only consistent ones (named after their number,
            // in range, each number once); a skipped one just gets a fresh number.
            if (spec == null || spec.number() < Identities.FIRST || !WeirIdentity.nameOf(spec.number()).equals(identity.getMetadata().getName())
                    || !numbers.add(spec.number())) {
                LOG.warning("ignoring WeirIdentity " + identity.getMetadata().getName() + ": not as the operator writes it");
                continue;
            }
            try {
                if (spec.cidr() != null) {
                    prefixes.put(Cidr.parse(spec.cidr()), spec.number());
                } else if (spec.namespace() != null) {
                    pods.put(new LabelSet(spec.namespace(), orEmpty(spec.namespaceLabels()), orEmpty(spec.podLabels())), spec.number());
                }
            } catch (IllegalArgumentException e) {
                LOG.warning("ignoring WeirIdentity " + identity.getMetadata().getName() + ": " + e.getMessage());
            }
        }
        return new Identities(pods, prefixes);
    }

    private static Stored stored(Numbering numbering) {
        SelectorBits bits = numbering.bits();
        var selections = bits.pods().entrySet().stream().map(e -> new Selection(e.getValue(), e.getKey().namespace(),
                e.getKey().namespaces() == null ? null : requirements(e.getKey().namespaces()), requirements(e.getKey().pods()))).toList();
        var blocks = bits.blocks().entrySet().stream().map(e -> new Block(e.getValue(), e.getKey().cidr().toString(),
                e.getKey().except().stream().map(Cidr::toString).toList())).toList();
        var isolation = bits.isolation().entrySet().stream().map(e -> new Isolated(e.getValue(), e.getKey().namespace(),
                e.getKey().direction().name())).toList();
        return new Stored(numbering.sizes(), selections, blocks, isolation, new TreeMap<>(bits.names()));
    }

    private static SelectorBits bits(Stored stored) {
        var pods = new LinkedHashMap<PodSelection, Integer>();
        for (Selection s : stored.selections()) {
            pods.put(new PodSelection(s.namespace(), s.namespaces() == null ? null : selection(s.namespaces()), selection(s.pods())), s.bit());
        }
        var blocks = new LinkedHashMap<Peer.AddressBlock, Integer>();
        for (Block b : stored.blocks()) {
            blocks.put(new Peer.AddressBlock(Cidr.parse(b.cidr()), b.except().stream().map(Cidr::parse).toList()), b.bit());
        }
        var isolation = new LinkedHashMap<SelectorBits.Isolation, Integer>();
        for (Isolated i : stored.isolation()) {
            isolation.put(new SelectorBits.Isolation(i.namespace(), Direction.valueOf(i.direction())), i.bit());
        }
        return new SelectorBits(pods, blocks, isolation, Map.of(), stored.names());
    }

    private static List<Requirement> requirements(LabelSelection selection) {
        return selection.requirements().stream().map(r -> new Requirement(r.key(), r.operator().name(), r.values())).toList();
    }

    private static LabelSelection selection(List<Requirement> requirements) {
        return new LabelSelection(requirements.stream().map(r -> new LabelSelection.Requirement(r.key(),
                LabelSelection.Operator.valueOf(r.operator()), r.values())).toList());
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
