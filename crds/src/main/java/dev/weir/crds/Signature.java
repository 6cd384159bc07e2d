package dev.weir.crds;

import io.fabric8.generator.annotation.Required;

/**
 * An Ed25519 signature over an artifact's canonical bytes.
 *
 * @param keyId which key signed: the first 16 hex digits of SHA-256 over the public key's X.509 encoding
 * @param value the 64-byte signature, base64
 */
public record Signature(@Required String keyId, @Required String value) {}
