package dev.weir.operator.numbering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.crds.signing.ArtifactException;
import dev.weir.crds.signing.ArtifactVerifier;
import dev.weir.compiler.compile.Numbering;
import dev.weir.compiler.compile.SelectorBits;
import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.identity.LabelSet;
import dev.weir.compiler.abi.WeirMaps;
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
 * republishes nothing. Identities come back from the published WeirIdentity objects whose signature
 * verifies (they are the truth agents see); selector bits, port-name ids and map sizes, which only programs embed, live in the ConfigMap
 * {@value #CONFIG_MAP} of the operator's namespace, as JSON.
 */
public final class NumberingStore {
    /** Gzipped JSON in binaryData: selector bits of a big cluster would pass a ConfigMap's 1 MiB as text. */
    public static final String CONFIG_MAP = "weir-numbering", KEY = "numbering.json.gz";
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

    private final ArtifactVerifier verifier;

    /** @param verifier checks the WeirIdentity objects, which parties other than the operator may write */
    public NumberingStore(KubernetesClient client, String namespace, ArtifactVerifier verifier) {
        this.client = client;
        this.namespace = namespace;
        this.verifier = verifier;
    }

    /** The numbering last saved, with identities from the WeirIdentity objects; NONE on a first start. */
    public Numbering load() {
        Identities identities = identities();
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
        String stored64 = map == null || map.getBinaryData() == null ? null : map.getBinaryData().get(KEY);
        String json = stored64 == null ? null : gunzip(stored64);
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
                .withBinaryData(Map.of(KEY, gzip(json))).build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(existing -> existing.update());
        saved = json;
    }

    private static String gzip(String text) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private String gunzip(String base64) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("ConfigMap " + namespace + "/" + CONFIG_MAP + ": " + KEY + " is not gzipped base64: " + e.getMessage(), e);
        }
    }

    private Identities identities() {
        var pods = new LinkedHashMap<LabelSet, Integer>();
        var prefixes = new LinkedHashMap<Cidr, Integer>();
        var numbers = new java.util.HashSet<Integer>();
        for (WeirIdentity identity : client.resources(WeirIdentity.class).list().getItems()) {
            WeirIdentity.Spec spec;
            try {
                spec = verifier.verify(identity);
            } catch (ArtifactException e) {
                LOG.warning("ignoring " + e.getMessage());
                continue;
            }
            // Take only consistent ones (named after their number, in range, each number once); a skipped
            // one just gets a fresh number.
            if ( spec.number() < Identities.FIRST || !WeirIdentity.nameOf(spec.number()).equals(identity.getMetadata().getName())
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
