package dev.weir.compiler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per rule of upstream's ValidateNetworkPolicy (pkg/apis/networking/validation), plus Weir's refusals. */
class PolicyValidatorTest {

    private static final ObjectMapper YAML = new YAMLMapper();

    @Test
    void acceptsAValidPolicyOfEveryShape() {
        assertThat(problems("""
                podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}
                policyTypes: [Ingress, Egress]
                ingress:
                - from:
                  - podSelector: {matchLabels: {role: client}}
                  - namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}
                  - podSelector: {}
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                  - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                  ports:
                  - {port: 80}
                  - {port: 8000, endPort: 8080, protocol: UDP}
                  - {port: http, protocol: SCTP}
                  - {protocol: TCP}
                egress:
                - to: [{ipBlock: {cidr: "2001:db8::/32"}}]
                - {}
                """)).isEmpty();
    }

    @Test
    void endPortBelowPort() {
        assertThat(problems("ingress: [{ports: [{port: 80}, {port: 81, endPort: 79}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.ingress[0].ports[1].endPort: Invalid value: 79: must be greater than or equal to `port`");
    }

    @Test
    void endPortWithNamedOrMissingPort() {
        assertThat(problems("egress: [{ports: [{port: http, endPort: 90}, {endPort: 90}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
                "NetworkPolicy x/p: spec.egress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is not specified");
    }

    @Test
    void portNumbersOutOfRange() {
        assertThat(problems("ingress: [{ports: [{port: 0}, {port: 80, endPort: 65536}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "NetworkPolicy x/p: spec.ingress[0].ports[1].endPort: Invalid value: 65536: must be between 1 and 65535, inclusive");
    }

    @Test
    void invalidPortNames() {
        assertThat(problems("ingress: [{ports: [{port: Web_Port}, {port: \"8080\"}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.ingress[0].ports[0].port: Invalid value: \"Web_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "NetworkPolicy x/p: spec.ingress[0].ports[1].port: Invalid value: \"8080\": must contain at least one letter (a-z)");
    }

    @Test
    void protocolMustBeTcpUdpOrSctp() {
        assertThat(problems("ingress: [{ports: [{port: 80, protocol: ICMP}, {protocol: tcp}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
                "NetworkPolicy x/p: spec.ingress[0].ports[1].protocol: Unsupported value: \"tcp\": supported values: \"TCP\", \"UDP\", \"SCTP\"");
    }

    @Test
    void emptyPeerIsNotAPeer() {
        assertThat(problems("ingress: [{from: [{}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.ingress[0].from[0]: Required value: must specify a peer");
    }

    @Test
    void ipBlockCannotBeCombinedWithSelectors() {
        assertThat(problems("egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]")).containsExactly(
                "NetworkPolicy x/p: spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer");
    }

    @Test
    void ipBlockCidrMustParse() {
        assertThat(problems("egress: [{to: [{ipBlock: {cidr: 10.0.0.0}}, {ipBlock: {cidr: 300.0.0.0/8}}, {ipBlock: {cidr: 010.0.0.0/8}}, {ipBlock: {cidr: \"\"}}]}]"))
                .containsExactly(
                        "NetworkPolicy x/p: spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.0\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                        "NetworkPolicy x/p: spec.egress[0].to[1].ipBlock.cidr: Invalid value: \"300.0.0.0/8\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                        "NetworkPolicy x/p: spec.egress[0].to[2].ipBlock.cidr: Invalid value: \"010.0.0.0/8\": must not have leading 0s in IPv4 octets (ambiguous: octal or decimal)",
                        "NetworkPolicy x/p: spec.egress[0].to[3].ipBlock.cidr: Required value");
    }

    @Test
    void exceptMustBeAStrictSubsetOfCidr() {
        assertThat(problems("ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24, 10.0.0.0/16, 192.168.0.0/24, \"2001:db8::/64\"]}}]}]"))
                .containsExactly(
                        "NetworkPolicy x/p: spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`",
                        "NetworkPolicy x/p: spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: \"192.168.0.0/24\": must be a strict subset of `cidr`",
                        "NetworkPolicy x/p: spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: \"2001:db8::/64\": must be a strict subset of `cidr`");
    }

    @Test
    void selectorOperatorsAndValues() {
        assertThat(problems("""
                podSelector:
                  matchExpressions:
                  - {key: app, operator: Equals, values: [web]}
                  - {key: app, operator: In}
                  - {key: app, operator: Exists, values: [web]}
                """)).containsExactly(
                "NetworkPolicy x/p: spec.podSelector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator",
                "NetworkPolicy x/p: spec.podSelector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "NetworkPolicy x/p: spec.podSelector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    }

    @Test
    void labelKeysAndValuesInPeerSelectors() {
        assertThat(problems("ingress: [{from: [{namespaceSelector: {matchLabels: {\"bad key!\": ok, team: \"-bad\"}}}]}]"))
                .containsExactly(
                        "NetworkPolicy x/p: spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                        "NetworkPolicy x/p: spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }

    @Test
    void policyTypesValues() {
        assertThat(problems("policyTypes: [Ingress, egress]")).containsExactly(
                "NetworkPolicy x/p: spec.policyTypes[1]: Unsupported value: \"egress\": supported values: \"Ingress\", \"Egress\"");
        assertThat(problems("policyTypes: [Ingress, Egress, Ingress]")).containsExactly(
                "NetworkPolicy x/p: spec.policyTypes: Invalid value: [Ingress, Egress, Ingress]: may not specify more than two policyTypes");
    }

    @Test
    void unknownFieldsAreRefused() {
        assertThat(problems("ingress: [{from: [{podSelector: {}, serviceSelector: {}}], action: Deny}]")).containsExactly(
                "NetworkPolicy x/p: spec.ingress[0].action: Forbidden: field not known to networking.k8s.io/v1 NetworkPolicy; Weir refuses policies it cannot enforce exactly",
                "NetworkPolicy x/p: spec.ingress[0].from[0].serviceSelector: Forbidden: field not known to networking.k8s.io/v1 NetworkPolicy; Weir refuses policies it cannot enforce exactly");
    }

    @Test
    void metadataNameIsRequiredAndChecked() throws Exception {
        NetworkPolicy unnamed = YAML.readValue("{metadata: {namespace: x}, spec: {}}", NetworkPolicy.class);
        NetworkPolicy badName = YAML.readValue("{metadata: {namespace: x, name: Bad_Name}, spec: {}}", NetworkPolicy.class);
        assertThat(PolicyValidator.validate(unnamed)).extracting(PolicyProblem::toString).containsExactly(
                "NetworkPolicy x/<unnamed>: metadata.name: Required value: name or generateName is required");
        assertThat(PolicyValidator.validate(badName)).extracting(PolicyProblem::field).containsExactly("metadata.name");
    }

    @Test
    void eachProblemSaysWhichPartOfThePolicyItRefuses() throws Exception {
        NetworkPolicy policy = YAML.readValue("""
                metadata: {namespace: x, name: Bad_Name}
                spec:
                  podSelector: {matchLabels: {app: null}}
                  ingress: [{}, {from: [null]}]
                  egress: [null]
                  policyTypes: [null]
                """, NetworkPolicy.class);
        assertThat(PolicyValidator.validate(policy)).extracting(PolicyProblem::field, PolicyProblem::scope).containsExactly(
                org.assertj.core.groups.Tuple.tuple("metadata.name", ProblemScope.EVERY_RULE),
                org.assertj.core.groups.Tuple.tuple("spec.podSelector.matchLabels.app", ProblemScope.SELECTION),
                org.assertj.core.groups.Tuple.tuple("spec.ingress[1].from[0]", new ProblemScope.OneRule(Direction.INGRESS, 1)),
                org.assertj.core.groups.Tuple.tuple("spec.egress[0]", new ProblemScope.OneRule(Direction.EGRESS, 0)),
                org.assertj.core.groups.Tuple.tuple("spec.policyTypes[0]", ProblemScope.POLICY_TYPES));
    }

    /** Validates a policy named x/p with this YAML as its spec. */
    private static List<String> problems(String specYaml) {
        try {
            var spec = YAML.readTree(specYaml.isBlank() ? "{}" : specYaml);
            var policy = YAML.createObjectNode();
            policy.put("apiVersion", "networking.k8s.io/v1").put("kind", "NetworkPolicy");
            policy.putObject("metadata").put("name", "p").put("namespace", "x");
            policy.set("spec", spec);
            return PolicyValidator.validate(YAML.treeToValue(policy, NetworkPolicy.class)).stream()
                    .map(PolicyProblem::toString).toList();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
