package dev.weir.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The CRDs the build generates from the Java types (crd-generator-maven-plugin), as a cluster would get them. */
class GeneratedCrdsTest {

    static JsonNode crd(String plural) throws IOException {
        try (InputStream in = GeneratedCrdsTest.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".weir.dev-v1.yml")) {
            assertThat(in).as("generated CRD for " + plural).isNotNull();
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"weirclusters", "weiridentities", "weirprograms", "weirmapchunks", "weirnodes"})
    void everyKindIsAClusterScopedWeirDevV1alpha1Crd(String plural) throws IOException {
        JsonNode crd = crd(plural);
        assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
        assertThat(crd.path("spec").path("group").asText()).isEqualTo("weir.dev");
        assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Cluster");
        JsonNode version = crd.path("spec").path("versions").get(0);
        assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
        if (!plural.equals("weirclusters")) { // the cluster object's settings are all optional
            assertThat(version.path("schema").path("openAPIV3Schema").path("properties").path("spec").path("required")).isNotEmpty();
        }
        assertThat(version.path("additionalPrinterColumns")).isNotEmpty();
    }

    @Test
    void schemasCarryTheValidationOfTheTypes() throws IOException {
        JsonNode program = crd("weirprograms").path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec");
        assertThat(program.path("properties").path("direction").path("pattern").asText()).isEqualTo("^(Ingress|Egress)$");
        assertThat(names(program.path("required"))).contains("bytecode", "maps", "sha256", "programName");
        JsonNode identity = crd("weiridentities").path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec");
        assertThat(identity.path("properties").path("number").path("minimum").asInt()).isEqualTo(256);
    }

    @Test
    void nodesHaveAStatusSubresourceForTheAgent() throws IOException {
        assertThat(crd("weirnodes").path("spec").path("versions").get(0).path("subresources").has("status")).isTrue();
        assertThat(crd("weirclusters").path("spec").path("versions").get(0).path("subresources").has("status")).isTrue();
        assertThat(crd("weirprograms").path("spec").path("versions").get(0).path("subresources").has("status")).isFalse();
    }

    @Test
    void objectsSurviveAYamlRoundTrip() {
        var node = new WeirNode();
        node.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("node-1").build());
        node.setSpec(new WeirNode.Spec(7, List.of("10.244.1.0/24"), List.of("192.168.0.11"), List.of(), List.of(new WeirNode.Pod("shop", "web-1", HostInterfaces.name("shop", "web-1"),
                "10.244.1.10", 256, "weir_i_0123abcd", "weir_e_0123abcd")), null, null));
        String yaml = Serialization.asYaml(node);
        assertThat(yaml).contains("apiVersion: \"weir.dev/v1alpha1\"", "kind: \"WeirNode\"", "hostInterface: \"weir");
        WeirNode back = Serialization.unmarshal(yaml, WeirNode.class);
        assertThat(back.getSpec()).isEqualTo(node.getSpec());
    }

    @Test
    void hostInterfaceNamesFitTheKernelsLimitAndAreStable() {
        String name = HostInterfaces.name("shop", "web-1");
        assertThat(name).hasSize(15).startsWith("weir").isEqualTo(HostInterfaces.name("shop", "web-1"));
        assertThat(HostInterfaces.name("shop", "web-2")).isNotEqualTo(name);
    }

    private static List<String> names(JsonNode array) {
        var names = new ArrayList<String>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
