package dev.weir.crds.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes an artifact's hash and signature cover: its fields in a fixed order, each length-prefixed, so no
 * two different artifacts share an encoding, and nothing depends on how JSON or YAML spelled them.
 */
public final class Canonical {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts with the artifact's kind, so a program's bytes can never pass as a chunk's. */
    public Canonical(String kind) {
        text(kind);
    }

    public Canonical text(String value) {
        return bytes(value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    public Canonical bytes(byte[] value) {
        number(value.length);
        out.writeBytes(value);
        return this;
    }

    public Canonical number(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (value >>> shift));
        return this;
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    public String sha256() {
        return sha256(toBytes());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
