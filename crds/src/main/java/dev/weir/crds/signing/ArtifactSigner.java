package dev.weir.crds.signing;

import dev.weir.crds.Signature;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs canonical artifact bytes with the operator's Ed25519 key. Ed25519 is deterministic, so signatures
 * are remembered by the bytes' SHA-256: each operator pass signs its whole desired state again, and almost
 * all of it is unchanged.
 */
public final class ArtifactSigner {
    private static final int REMEMBERED = 1 << 16;

    private final KeyPair keys;
    private final String keyId;
    private final Map<String, Signature> remembered = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Signature> eldest) {
            return size() > REMEMBERED;
        }
    };

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

    /** @param sha256 hex SHA-256 of {@code canonical} */
    Signature sign(byte[] canonical, String sha256) {
        synchronized (remembered) {
            Signature known = remembered.get(sha256);
            if (known != null) return known;
        }
        Signature signature = signNow(canonical);
        synchronized (remembered) {
            remembered.put(sha256, signature);
        }
        return signature;
    }

    private Signature signNow(byte[] canonical) {
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
