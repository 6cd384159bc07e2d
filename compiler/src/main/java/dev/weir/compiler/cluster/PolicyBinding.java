package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Binds a NetworkPolicy whose parts may not fit their types, failing closed. Leaving the whole policy out
 * would open its pods (they would lose its isolation), so only the broken rules are left out: a rule that is
 * not there allows nothing, and the policy still isolates what it selects. When policyTypes was not given,
 * it is set to what the input implied (Ingress, plus Egress when it had egress rules), so dropping the only
 * egress rule keeps egress isolated. Only when the metadata, podSelector or policyTypes themselves do not
 * fit is the policy refused whole: what it selects or isolates is unknown.
 *
 * <p>Left-out rules shift the indexes of the rules after them, in what the validator and traces see.
 */
final class PolicyBinding {

    private static final List<String> DIRECTIONS = List.of("ingress", "egress");
    /** Stands in refusedRules for every rule of a direction, when its list itself is broken. */
    private static final int EVERY_RULE = -1;

    /**
     * @param policy the policy, or null when it is refused whole
     * @param refusals one line per problem, each naming the policy and the field
     */
    record Result(NetworkPolicy policy, List<String> refusals) {}

    /** A field known to be unusable before binding (a key given twice). */
    record Broken(FieldPath field, String problem) {}

    private final JsonNode original;
    private final ObjectNode working;
    private final String described;
    private final Map<String, TreeSet<Integer>> refusedRules = Map.of("ingress", new TreeSet<>(), "egress", new TreeSet<>());
    private final List<String> refusals = new ArrayList<>();

    private PolicyBinding(ObjectNode node) {
        this.original = node;
        this.working = node.deepCopy();
        this.described = "NetworkPolicy " + key(node);
    }

    static Result bind(ObjectNode node, List<Broken> known) {
        return new PolicyBinding(node).bind(known);
    }

    private Result bind(List<Broken> known) {
        for (Broken broken : known) {
            if (!refuse(broken)) {
                return new Result(null, refusals);
            }
        }
        // Each failed attempt refuses one more rule (or the policy); a field failing twice would mean the
        // refusal did not take, so that refuses the policy rather than loop.
        var failed = new HashSet<FieldPath>();
        while (true) {
            try {
                NetworkPolicy policy = StrictBinding.bind(working, NetworkPolicy.class);
                return new Result(withoutRefusedRules(policy), refusals);
            } catch (StrictBinding.Mismatch mismatch) {
                if (!failed.add(mismatch.field())) {
                    refusals.add(described + ": " + mismatch.field() + ": " + mismatch.problem() + "; the policy is refused");
                    return new Result(null, refusals);
                }
                if (!refuse(new Broken(mismatch.field(), mismatch.problem()))) {
                    return new Result(null, refusals);
                }
            }
        }
    }

    /** Refuses the rule (or the direction's rules) holding the field; false when that refuses the policy. */
    private boolean refuse(Broken broken) {
        String line = described + ": " + broken.field() + ": " + broken.problem() + "; ";
        List<Object> at = broken.field().segments();
        if (at.size() >= 2 && "spec".equals(at.get(0)) && at.get(1) instanceof String direction && DIRECTIONS.contains(direction)) {
            ObjectNode spec = (ObjectNode) working.get("spec");
            if (at.size() == 2) {
                spec.set(direction, JsonNodeFactory.instance.arrayNode());
                refusedRules.get(direction).add(EVERY_RULE);
                refusals.add(line + "its " + direction + " rules are refused (they allow nothing)");
                return true;
            }
            if (at.get(2) instanceof Integer index && spec.path(direction).has(index)) {
                refusedRules.get(direction).add(index);
                ((ArrayNode) spec.get(direction)).set(index, placeholder());
            }
            refusals.add(line + "the rule is refused (allows nothing)");
            return true;
        }
        boolean types = at.size() >= 2 && "spec".equals(at.get(0)) && "policyTypes".equals(at.get(1));
        refusals.add(line + "the policy is refused: " + (types ? "which directions it isolates" : "what it selects") + " is unknown");
        return false;
    }

    /** Binds to an empty rule; the rule it stands in for is removed after binding. */
    private static ObjectNode placeholder() {
        return JsonNodeFactory.instance.objectNode().put("weir.dev/refused", true);
    }

    private NetworkPolicy withoutRefusedRules(NetworkPolicy policy) {
        if (refusedRules.values().stream().allMatch(TreeSet::isEmpty)) {
            return policy;
        }
        var spec = policy.getSpec();
        removeRefused(spec.getIngress(), refusedRules.get("ingress"));
        removeRefused(spec.getEgress(), refusedRules.get("egress"));
        JsonNode types = original.path("spec").path("policyTypes");
        if (!types.isArray() || types.isEmpty()) {
            spec.setPolicyTypes(impliedTypes());
        }
        return policy;
    }

    private static void removeRefused(List<?> rules, TreeSet<Integer> refused) {
        if (refused.contains(EVERY_RULE)) {
            rules.clear();
            return;
        }
        for (int index : refused.descendingSet()) {
            rules.remove(index);
        }
    }

    /** What the API server defaults policyTypes to, from the input as written: Egress when it had egress rules. */
    private List<String> impliedTypes() {
        JsonNode egress = original.path("spec").path("egress");
        boolean hasEgress = !egress.isMissingNode() && !egress.isNull() && !(egress.isArray() && egress.isEmpty());
        return hasEgress ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    /** {@code namespace/name} as far as the metadata can be read. */
    static String key(JsonNode object) {
        JsonNode meta = object.path("metadata");
        String namespace = meta.path("namespace").isTextual() && !meta.path("namespace").textValue().isBlank()
                ? meta.path("namespace").textValue() : FromFabric8.DEFAULT_NAMESPACE;
        String name = meta.path("name").isTextual() ? meta.path("name").textValue() : "<unnamed>";
        return namespace + "/" + name;
    }
}
