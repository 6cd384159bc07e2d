package dev.weir.crds.signing;

/** An artifact that must not be used: bad encoding, wrong hash, missing or wrong signature. */
public class ArtifactException extends RuntimeException {
    public ArtifactException(String message) {
        super(message);
    }
}
