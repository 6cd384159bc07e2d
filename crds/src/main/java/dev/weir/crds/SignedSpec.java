package dev.weir.crds;

/** A spec the operator signs: the hash of its canonical bytes and the signature over them. */
public interface SignedSpec {
    String sha256();

    Signature signature();
}
