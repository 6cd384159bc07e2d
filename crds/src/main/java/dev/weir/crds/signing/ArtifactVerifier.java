package dev.weir.crds.signing;

import dev.weir.crds.Signature;
import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;

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
        String name = program.getMetadata() == null ? null : program.getMetadata().getName();
        WeirProgram.Spec spec = program.getSpec();
        if (spec == null) throw new ArtifactException("WeirProgram " + name + ": no spec");
        byte[] bytes = canonical("WeirProgram " + name, () -> Artifacts.canonical(spec));
        check("WeirProgram " + name, bytes, spec.sha256(), spec.signature());
        if (!Artifacts.programName(spec.sha256()).equals(name)) {
            throw new ArtifactException("WeirProgram " + name + ": its name is not its content's address " + Artifacts.programName(spec.sha256()));
        }
        return spec;
    }

    public WeirMapChunk.Spec verify(WeirMapChunk chunk) {
        String name = chunk.getMetadata() == null ? null : chunk.getMetadata().getName();
        WeirMapChunk.Spec spec = chunk.getSpec();
        if (spec == null) throw new ArtifactException("WeirMapChunk " + name + ": no spec");
        check("WeirMapChunk " + name, canonical("WeirMapChunk " + name, () -> Artifacts.canonical(spec)), spec.sha256(), spec.signature());
        if (!Artifacts.chunkName(spec.map(), spec.sha256()).equals(name)) {
            throw new ArtifactException("WeirMapChunk " + name + ": its name is not its content's address " + Artifacts.chunkName(spec.map(), spec.sha256()));
        }
        return spec;
    }

    public WeirIdentity.Spec verify(WeirIdentity identity) {
        String name = identity.getMetadata() == null ? null : identity.getMetadata().getName();
        WeirIdentity.Spec spec = identity.getSpec();
        if (spec == null) throw new ArtifactException("WeirIdentity " + name + ": no spec");
        check("WeirIdentity " + name, canonical("WeirIdentity " + name, () -> Artifacts.canonical(name, spec)), spec.sha256(), spec.signature());
        return spec;
    }

    public WeirNode.Spec verify(WeirNode node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        WeirNode.Spec spec = node.getSpec();
        if (spec == null) throw new ArtifactException("WeirNode " + name + ": no spec");
        check("WeirNode " + name, canonical("WeirNode " + name, () -> Artifacts.canonical(name, spec)), spec.sha256(), spec.signature());
        return spec;
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
