package dev.weir.operator.numbering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.scale.SyntheticCluster;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Ed25519Keys;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Against Fabric8's mock API server in CRUD mode (a stand-in: no real API server runs here). */
@EnableKubernetesMockClient(crud = true)
class NumberingStoreTest {

    KubernetesClient client;

    @Test
    void aBigClustersNumberingFitsInItsConfigMapAndComesBackEqual() {
        // 10,001 pods and 1,000 policies: the benchmark's cluster.
        CompiledCluster compiled = Compiler.compile(SyntheticCluster.generate(500, 20, 2, 1));
        var store = new NumberingStore(client, "weir-system", new ArtifactSigner(Ed25519Keys.generate()).verifier());
        store.save(compiled.numbering());
        var map = client.configMaps().inNamespace("weir-system").withName(NumberingStore.CONFIG_MAP).get();
        int bytes = Base64.getDecoder().decode(map.getBinaryData().get(NumberingStore.KEY)).length;
        assertThat(bytes).isPositive().isLessThan(1024 * 1024);
        var loaded = new NumberingStore(client, "weir-system", new ArtifactSigner(Ed25519Keys.generate()).verifier()).load();
        // What is kept (isolating, derived per compile, is not).
        assertThat(loaded.bits().pods()).isEqualTo(compiled.numbering().bits().pods());
        assertThat(loaded.bits().blocks()).isEqualTo(compiled.numbering().bits().blocks());
        assertThat(loaded.bits().isolation()).isEqualTo(compiled.numbering().bits().isolation());
        assertThat(loaded.bits().names()).isEqualTo(compiled.numbering().bits().names());
        assertThat(loaded.sizes()).isEqualTo(compiled.numbering().sizes());
        System.out.printf("numbering of %d selector bits: %,d bytes gzipped%n", compiled.numbering().bits().pods().size(), bytes);
    }
}
