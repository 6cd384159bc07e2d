package dev.weir.crds.signing;

import dev.weir.crds.Signature;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/** Signs canonical artifact bytes with the operator's Ed25519 key. */
public final class ArtifactSigner {

    private final KeyPair keys;
    private final String keyId;

    public ArtifactSigner(KeyPair keys) {
        this.keys = keys;
        this.keyId = Ed25519Keys.keyId(keys.getPublic());
    }

    public String keyId() {
        return keyId;
    }

    /** The public key, base64 X.509, as agents configure their verifier with it. */
    public String publicKey() {
        return Ed25519Keys.encode(keys.getPublic());
    }

    public ArtifactVerifier verifier() {
        return new ArtifactVerifier(keys.getPublic());
    }

    Signature sign(byte[] canonical) {
        try {
            var signature = java.security.Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(canonical);
            return Artifacts.signature(keyId, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
