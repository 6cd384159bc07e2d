package dev.weir.crds.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.crds.MapChunks;
import dev.weir.crds.MapLayout;
import dev.weir.crds.Signature;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ArtifactSigningTest {

    private static final ArtifactSigner OPERATOR = new ArtifactSigner(Ed25519Keys.generate());
    private static final ArtifactVerifier AGENT = OPERATOR.verifier();

    static WeirProgram.Spec unsigned(byte[] bytecode) {
        return new WeirProgram.Spec("weir_i_0123abcd", "Ingress", bytecode.length / 8, Base64.getEncoder().encodeToString(bytecode),
                List.of(new MapLayout("weir_ipcache", "HASH", 4, 4, 1024, 0)), List.of(), "0.1.0", null, null);
    }

    static WeirProgram program(WeirProgram.Spec spec) {
        var program = new WeirProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(spec.sha256() == null ? "prog-x" : Artifacts.programName(spec.sha256())).build());
        program.setSpec(spec);
        return program;
    }

    static final byte[] EXIT = {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void aSignedProgramVerifiesAfterATripThroughYaml() {
        WeirProgram signed = program(Artifacts.sign(unsigned(EXIT), OPERATOR));
        WeirProgram back = Serialization.unmarshal(Serialization.asYaml(signed), WeirProgram.class);
        assertThat(AGENT.verify(back).bytecode()).isEqualTo(Base64.getEncoder().encodeToString(EXIT));
        assertThat(back.getMetadata().getName()).startsWith("prog-").hasSize(25);
    }

    @Test
    void tamperedBytecodeIsRefused() {
        WeirProgram.Spec spec = Artifacts.sign(unsigned(EXIT), OPERATOR);
        byte[] evil = EXIT.clone();
        evil[4] = 1; // mov r0, 1: pass everything
        var tampered = new WeirProgram.Spec(spec.programName(), spec.direction(), spec.instructions(),
                Base64.getEncoder().encodeToString(evil), spec.maps(), spec.parts(), spec.compilerVersion(), spec.sha256(), spec.signature());
        assertThatThrownBy(() -> AGENT.verify(program(tampered))).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("does not match its sha256");
    }

    @Test
    void aTamperedProgramWithARecomputedHashFailsTheSignature() {
        WeirProgram.Spec spec = Artifacts.sign(unsigned(EXIT), OPERATOR);
        byte[] evil = EXIT.clone();
        evil[4] = 1;
        var rehashed = new WeirProgram.Spec(spec.programName(), spec.direction(), spec.instructions(),
                Base64.getEncoder().encodeToString(evil), spec.maps(), spec.parts(), spec.compilerVersion(), null, null);
        String sha = Canonical.sha256(Artifacts.canonical(rehashed));
        var forged = new WeirProgram.Spec(rehashed.programName(), rehashed.direction(), rehashed.instructions(), rehashed.bytecode(),
                rehashed.maps(), rehashed.parts(), rehashed.compilerVersion(), sha, spec.signature());
        assertThatThrownBy(() -> AGENT.verify(program(forged))).isInstanceOf(ArtifactException.class).hasMessageEndingWith("bad signature");
    }

    @Test
    void anotherKeysSignatureOrNoneIsRefused() {
        var stranger = new ArtifactSigner(Ed25519Keys.generate());
        assertThatThrownBy(() -> AGENT.verify(program(Artifacts.sign(unsigned(EXIT), stranger))))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("not the operator's key " + OPERATOR.keyId());
        WeirProgram.Spec signed = Artifacts.sign(unsigned(EXIT), OPERATOR);
        var unsignedWithHash = new WeirProgram.Spec(signed.programName(), signed.direction(), signed.instructions(), signed.bytecode(),
                signed.maps(), signed.parts(), signed.compilerVersion(), signed.sha256(), null);
        assertThatThrownBy(() -> AGENT.verify(program(unsignedWithHash))).hasMessageEndingWith("not signed");
        var wrongKeyId = new WeirProgram.Spec(signed.programName(), signed.direction(), signed.instructions(), signed.bytecode(),
                signed.maps(), signed.parts(), signed.compilerVersion(), signed.sha256(), new Signature(OPERATOR.keyId(), "AAAA"));
        assertThatThrownBy(() -> AGENT.verify(program(wrongKeyId))).isInstanceOf(ArtifactException.class).hasMessageContaining("bad signature");
    }

    @Test
    void aProgramMustBeNamedAfterItsContent() {
        WeirProgram renamed = program(Artifacts.sign(unsigned(EXIT), OPERATOR));
        renamed.getMetadata().setName("prog-innocent");
        assertThatThrownBy(() -> AGENT.verify(renamed)).hasMessageContaining("its name is not its content's address");
    }

    @Test
    void keysSurviveTheirSecretEncoding() {
        var keys = Ed25519Keys.generate();
        var again = new java.security.KeyPair(Ed25519Keys.publicKey(Ed25519Keys.encode(keys.getPublic())),
                Ed25519Keys.privateKey(Ed25519Keys.encode(keys.getPrivate())));
        var signer = new ArtifactSigner(again);
        assertThat(new ArtifactSigner(keys).verifier().verify(program(Artifacts.sign(unsigned(EXIT), signer)))).isNotNull();
        assertThatThrownBy(() -> Ed25519Keys.publicKey("not a key")).hasMessageStartingWith("not a base64 X.509 Ed25519 public key");
    }

    static TreeMap<byte[], byte[]> ipcache(int count) {
        var entries = new TreeMap<byte[], byte[]>(Arrays::compareUnsigned);
        for (int i = 0; i < count; i++) {
            entries.put(new byte[] {10, 0, (byte) (i >> 8), (byte) i}, new byte[] {(byte) i, 1, 0, 0});
        }
        return entries;
    }

    static WeirMapChunk chunk(WeirMapChunk.Spec spec) {
        var chunk = new WeirMapChunk();
        chunk.setMetadata(new ObjectMetaBuilder().withName(Artifacts.chunkName(spec.map(), spec.sha256())).build());
        chunk.setSpec(spec);
        return chunk;
    }

    @Test
    void mapContentsSplitIntoSignedContentAddressedChunksAndJoinBack() {
        var entries = ipcache(1000);
        List<WeirMapChunk.Spec> chunks = MapChunks.split("weir_ipcache", 4, 4, entries, 1000, 4000);
        assertThat(chunks).hasSize(8); // 8,000 bytes aiming at 1,000 per chunk: 8 buckets
        assertThat(chunks).allSatisfy(c -> assertThat(Base64.getDecoder().decode(c.entries()).length).isBetween(8, 4000));
        List<WeirMapChunk.Spec> signed = chunks.stream().map(c -> Artifacts.sign(c, OPERATOR)).toList();
        signed.forEach(spec -> AGENT.verify(chunk(spec)));
        var joined = MapChunks.join("weir_ipcache", 4, 4, signed.reversed());
        assertThat(joined.keySet()).containsExactlyElementsOf(entries.keySet());
        assertThat(joined.values()).zipSatisfy(entries.values(), (a, b) -> assertThat(a).isEqualTo(b));
        assertThat(Artifacts.chunkName("weir_ipcache", signed.getFirst().sha256())).matches("weir-ipcache-[0-9a-f]{20}");
        assertThatThrownBy(() -> MapChunks.join("weir_ipcache", 4, 4, List.of(signed.getFirst(), signed.getFirst())))
                .hasMessageContaining("a key is in two chunks");
        assertThatThrownBy(() -> MapChunks.join("weir_rows", 4, 4, signed)).hasMessageContaining("was given a chunk of map weir_ipcache");
    }

    @Test
    void oneEntryMoreChangesOneChunk() {
        var before = MapChunks.split("weir_ipcache", 4, 4, ipcache(900), 1000, 4000);
        var grown = ipcache(900);
        grown.put(new byte[] {10, 9, 9, 9}, new byte[] {7, 1, 0, 0});
        var after = MapChunks.split("weir_ipcache", 4, 4, grown, 1000, 4000);
        assertThat(after).hasSameSizeAs(before).hasSize(8);
        assertThat(after.stream().filter(c -> !before.contains(c)).count()).isEqualTo(1);
        assertThat(MapChunks.split("weir_ipcache", 4, 4, ipcache(0))).isEmpty();
    }

    @Test
    void aNodesPodListIsSignedAndBoundToTheNode() {
        var pods = List.of(new dev.weir.crds.WeirNode.Pod("shop", "db-0", "weir0123456789a", "10.244.2.20", 256, "weir_i_aaaaaaaa", "weir_e_aaaaaaaa"));
        var spec = Artifacts.sign("node-a", new dev.weir.crds.WeirNode.Spec(3, List.of("10.244.2.0/24"), List.of(),
                List.of(new dev.weir.crds.WeirNode.MapContents("weir_ipcache", List.of("weir-ipcache-0123456789abcdef0123"))), pods, null, null), OPERATOR);
        var node = new dev.weir.crds.WeirNode();
        node.setMetadata(new ObjectMetaBuilder().withName("node-a").build());
        node.setSpec(spec);
        assertThat(AGENT.verify(node).pods()).hasSize(1);
        // Pointing db-0 at another (validly signed) program, say an allow-all one, breaks the hash.
        var swapped = List.of(new dev.weir.crds.WeirNode.Pod("shop", "db-0", "weir0123456789a", "10.244.2.20", 256, "weir_i_bbbbbbbb", "weir_e_aaaaaaaa"));
        node.setSpec(new dev.weir.crds.WeirNode.Spec(3, spec.podCIDRs(), spec.addresses(), spec.maps(), swapped, spec.sha256(), spec.signature()));
        assertThatThrownBy(() -> AGENT.verify(node)).hasMessageContaining("does not match its sha256");
        // So does pointing a map at other chunks (an older generation's, say).
        node.setSpec(new dev.weir.crds.WeirNode.Spec(3, spec.podCIDRs(), spec.addresses(),
                List.of(new dev.weir.crds.WeirNode.MapContents("weir_ipcache", List.of("weir-ipcache-ffffffffffffffffffff"))), pods, spec.sha256(), spec.signature()));
        assertThatThrownBy(() -> AGENT.verify(node)).hasMessageContaining("does not match its sha256");
        // The same signed spec under another node's name fails too.
        var moved = new dev.weir.crds.WeirNode();
        moved.setMetadata(new ObjectMetaBuilder().withName("node-b").build());
        moved.setSpec(spec);
        assertThatThrownBy(() -> AGENT.verify(moved)).hasMessageContaining("does not match its sha256");
    }

    @Test
    void aChunkCannotPassAsAnotherChunk() {
        WeirMapChunk.Spec signed = Artifacts.sign(MapChunks.split("weir_ipcache", 4, 4, ipcache(1)).getFirst(), OPERATOR);
        // Under another name (say one a node lists for other contents) it is refused, though its signature is good.
        var renamed = chunk(signed);
        renamed.getMetadata().setName("weir-ipcache-00000000000000000000");
        assertThatThrownBy(() -> AGENT.verify(renamed)).isInstanceOf(ArtifactException.class).hasMessageContaining("not its content's address");
        // Claiming to be another map's contents breaks the hash.
        var moved = chunk(new WeirMapChunk.Spec("weir_rows", 4, 4, signed.entries(), signed.sha256(), signed.signature()));
        moved.getMetadata().setName(Artifacts.chunkName("weir_rows", signed.sha256()));
        assertThatThrownBy(() -> AGENT.verify(moved)).isInstanceOf(ArtifactException.class).hasMessageContaining("sha256");
    }

    @Test
    void anIdentityIsSignedAndBoundToItsNumber() {
        var spec = Artifacts.sign("identity-256", new dev.weir.crds.WeirIdentity.Spec(256, "shop", java.util.Map.of("team", "a"),
                java.util.Map.of("app", "web"), null, null, null), OPERATOR);
        var identity = new dev.weir.crds.WeirIdentity();
        identity.setMetadata(new ObjectMetaBuilder().withName("identity-256").build());
        identity.setSpec(spec);
        assertThat(AGENT.verify(identity).podLabels()).containsEntry("app", "web");
        identity.setSpec(new dev.weir.crds.WeirIdentity.Spec(256, "shop", java.util.Map.of("team", "a"), java.util.Map.of("app", "db"),
                null, spec.sha256(), spec.signature()));
        assertThatThrownBy(() -> AGENT.verify(identity)).hasMessageContaining("does not match its sha256");
        identity.setSpec(spec);
        identity.getMetadata().setName("identity-257");
        assertThatThrownBy(() -> AGENT.verify(identity)).hasMessageContaining("does not match its sha256");
    }
}
