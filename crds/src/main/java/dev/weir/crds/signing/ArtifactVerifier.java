package dev.weir.crds.signing;

import dev.weir.crds.Signature;
import dev.weir.crds.SignedSpec;
import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Base64;
import java.util.function.BiFunction;

/**
 * What an agent runs before it lets an artifact near the kernel: the hash must match the content, the name
 * must be the content's address (programs and map chunks, which the signed WeirNode names), and the signature must be the operator key's. Anything else is
 * an {@link ArtifactException} naming the object and the reason.
 */
public final class ArtifactVerifier {

    private final PublicKey key;
    private final String keyId;

    public ArtifactVerifier(PublicKey key) {
        this.key = key;
        this.keyId = Ed25519Keys.keyId(key);
    }

    /** Returns the verified spec. */
    public WeirProgram.Spec verify(WeirProgram program) {
        WeirProgram.Spec spec = signed("WeirProgram", program, (name, s) -> Artifacts.canonical(s));
        contentAddressed("WeirProgram", program, Artifacts.programName(spec.sha256()));
        return spec;
    }

    public WeirMapChunk.Spec verify(WeirMapChunk chunk) {
        WeirMapChunk.Spec spec = signed("WeirMapChunk", chunk, (name, s) -> Artifacts.canonical(s));
        contentAddressed("WeirMapChunk", chunk, Artifacts.chunkName(spec.map(), spec.sha256()));
        return spec;
    }

    public WeirIdentity.Spec verify(WeirIdentity identity) {
        return signed("WeirIdentity", identity, Artifacts::canonical);
    }

    public WeirNode.Spec verify(WeirNode node) {
        return signed("WeirNode", node, Artifacts::canonical);
    }

    /** The spec, once its canonical bytes (which may cover the object's name) match its hash and signature. */
    private <S extends SignedSpec> S signed(String kind, CustomResource<S, ?> resource, BiFunction<String, S, byte[]> canonical) {
        String name = name(resource);
        String what = kind + " " + name;
        S spec = resource.getSpec();
        if (spec == null) throw new ArtifactException(what + ": no spec");
        check(what, canonical(what, () -> canonical.apply(name, spec)), spec.sha256(), spec.signature());
        return spec;
    }

    private static void contentAddressed(String kind, CustomResource<?, ?> resource, String address) {
        if (!address.equals(name(resource))) {
            throw new ArtifactException(kind + " " + name(resource) + ": its name is not its content's address " + address);
        }
    }

    private static String name(CustomResource<?, ?> resource) {
        return resource.getMetadata() == null ? null : resource.getMetadata().getName();
    }

    private void check(String what, byte[] canonical, String sha256, Signature signature) {
        if (!Canonical.sha256(canonical).equals(sha256)) {
            throw new ArtifactException(what + ": content does not match its sha256 (tampered or corrupt)");
        }
        if (signature == null) {
            throw new ArtifactException(what + ": not signed");
        }
        if (!keyId.equals(signature.keyId())) {
            throw new ArtifactException(what + ": signed by key " + signature.keyId() + ", not the operator's key " + keyId);
        }
        try {
            var verifier = java.security.Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(canonical);
            if (!verifier.verify(Base64.getDecoder().decode(signature.value()))) {
                throw new ArtifactException(what + ": bad signature");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ArtifactException(what + ": bad signature (" + e.getMessage() + ")");
        }
    }

    private static byte[] canonical(String what, java.util.function.Supplier<byte[]> bytes) {
        try {
            return bytes.get();
        } catch (ArtifactException e) {
            throw new ArtifactException(what + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ArtifactException(what + ": malformed (" + e + ")");
        }
    }
}
