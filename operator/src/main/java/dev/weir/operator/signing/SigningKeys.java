package dev.weir.operator.signing;

import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Ed25519Keys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;

/**
 * The operator's Ed25519 key, kept in a Secret: read when it exists, created on first start otherwise. Two
 * operators starting at once both try to create it; the loser reads the winner's, so there is one key.
 */
public final class SigningKeys {
    public static final String SECRET = "weir-signing-key";
    /** Where agents read the public key: a ConfigMap of the operator's namespace, which only it may write. */
    public static final String PUBLIC_KEY_CONFIG_MAP = "weir-public-key";
    public static final String PRIVATE = "ed25519.key", PUBLIC = "ed25519.pub";

    private SigningKeys() {}

    public static ArtifactSigner loadOrCreate(KubernetesClient client, String namespace) {
        ArtifactSigner signer = signer(client, namespace);
        publishPublicKey(client, namespace, signer);
        return signer;
    }

    /** Agents must not read the Secret (it holds the private key): the public key goes to its own ConfigMap. */
    private static void publishPublicKey(KubernetesClient client, String namespace, ArtifactSigner signer) {
        Map<String, String> data = Map.of(PUBLIC, signer.publicKey(), "keyId", signer.keyId());
        var existing = client.configMaps().inNamespace(namespace).withName(PUBLIC_KEY_CONFIG_MAP).get();
        if (existing != null && data.equals(existing.getData())) return;
        var map = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(PUBLIC_KEY_CONFIG_MAP)
                .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "weir-operator").endMetadata()
                .withData(data).build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(current -> current.update());
    }

    private static ArtifactSigner signer(KubernetesClient client, String namespace) {
        Secret existing = client.secrets().inNamespace(namespace).withName(SECRET).get();
        if (existing == null) {
            KeyPair keys = Ed25519Keys.generate();
            Secret secret = new SecretBuilder().withNewMetadata().withName(SECRET).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/managed-by", "weir-operator").endMetadata()
                    .withType("Opaque")
                    .withData(Map.of(PRIVATE, base64(Ed25519Keys.encode(keys.getPrivate())), PUBLIC, base64(Ed25519Keys.encode(keys.getPublic()))))
                    .build();
            try {
                client.secrets().inNamespace(namespace).resource(secret).create();
                return new ArtifactSigner(keys);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e;
                existing = client.secrets().inNamespace(namespace).withName(SECRET).get(); // another replica won
            }
        }
        return new ArtifactSigner(read(existing));
    }

    private static KeyPair read(Secret secret) {
        Map<String, String> data = secret.getData();
        if (data == null || !data.containsKey(PRIVATE) || !data.containsKey(PUBLIC)) {
            throw new IllegalStateException("Secret " + secret.getMetadata().getNamespace() + "/" + SECRET + " lacks " + PRIVATE + " or " + PUBLIC);
        }
        return new KeyPair(Ed25519Keys.publicKey(unbase64(data.get(PUBLIC))), Ed25519Keys.privateKey(unbase64(data.get(PRIVATE))));
    }

    // Secret data is base64 of the value; the values are themselves base64 key encodings.
    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII));
    }

    private static String unbase64(String value) {
        return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
    }
}
