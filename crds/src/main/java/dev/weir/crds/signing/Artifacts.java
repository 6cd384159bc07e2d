package dev.weir.crds.signing;

import dev.weir.crds.MapLayout;
import dev.weir.crds.Signature;
import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import java.util.Base64;

/**
 * The canonical bytes, hashes and object names of Weir's signed artifacts. The hash covers every field but
 * the hash and the signature; the signature covers the same bytes.
 */
public final class Artifacts {

    private Artifacts() {}

    public static byte[] canonical(WeirProgram.Spec spec) {
        Canonical c = new Canonical("weir.dev/v1alpha1/WeirProgram")
                .text(spec.programName()).text(spec.direction()).number(spec.instructions())
                .bytes(decode(spec.bytecode(), "bytecode")).number(spec.maps().size());
        for (MapLayout map : spec.maps()) {
            c.text(map.name()).text(map.type()).number(map.keySize()).number(map.valueSize()).number(map.maxEntries()).number(map.flags());
        }
        list(c, spec.parts());
        return c.text(spec.compilerVersion()).toBytes();
    }

    public static byte[] canonical(WeirMapChunk.Spec spec) {
        return new Canonical("weir.dev/v1alpha1/WeirMapChunk")
                .text(spec.map()).number(spec.keySize()).number(spec.valueSize()).bytes(decode(spec.entries(), "entries")).toBytes();
    }

    public static byte[] canonical(String nodeName, WeirNode.Spec spec) {
        Canonical c = new Canonical("weir.dev/v1alpha1/WeirNode").text(nodeName).number(spec.generation());
        list(c, spec.podCIDRs());
        list(c, spec.addresses());
        c.number(spec.maps().size());
        for (WeirNode.MapContents map : spec.maps()) {
            c.text(map.map());
            list(c, map.chunks());
        }
        c.number(spec.pods().size());
        for (WeirNode.Pod pod : spec.pods()) {
            c.text(pod.namespace()).text(pod.name()).text(pod.hostInterface()).text(pod.address()).number(pod.identity())
             .text(pod.ingressProgram()).text(pod.egressProgram());
        }
        return c.toBytes();
    }

    public static byte[] canonical(String objectName, WeirIdentity.Spec spec) {
        Canonical c = new Canonical("weir.dev/v1alpha1/WeirIdentity").text(objectName).number(spec.number());
        c.number(spec.cidr() == null ? 0 : 1).text(spec.cidr()).number(spec.namespace() == null ? 0 : 1).text(spec.namespace());
        labels(c, spec.namespaceLabels());
        labels(c, spec.podLabels());
        return c.toBytes();
    }

    private static void labels(Canonical c, java.util.Map<String, String> labels) {
        var sorted = new java.util.TreeMap<String, String>(labels == null ? java.util.Map.of() : labels);
        c.number(labels == null ? -1 : sorted.size());
        sorted.forEach((key, value) -> c.text(key).text(value));
    }

    private static void list(Canonical c, java.util.List<String> values) {
        java.util.List<String> list = values == null ? java.util.List.of() : values;
        c.number(list.size());
        list.forEach(c::text);
    }

    /** Content address: equal programs get the same name. */
    public static String programName(String sha256) {
        return "prog-" + sha256.substring(0, 20);
    }

    /** Content address of a map chunk, readable by map: {@code weir-ipcache-<20 hex>}. */
    public static String chunkName(String map, String sha256) {
        return map.replace('_', '-') + "-" + sha256.substring(0, 20);
    }

    /** The spec with its hash filled in and signed. */
    public static WeirProgram.Spec sign(WeirProgram.Spec spec, ArtifactSigner signer) {
        byte[] bytes = canonical(spec);
        String sha256 = Canonical.sha256(bytes);
        return new WeirProgram.Spec(spec.programName(), spec.direction(), spec.instructions(), spec.bytecode(), spec.maps(), spec.parts(),
                spec.compilerVersion(), sha256, signer.sign(bytes, sha256));
    }

    public static WeirMapChunk.Spec sign(WeirMapChunk.Spec spec, ArtifactSigner signer) {
        byte[] bytes = canonical(spec);
        String sha256 = Canonical.sha256(bytes);
        return new WeirMapChunk.Spec(spec.map(), spec.keySize(), spec.valueSize(), spec.entries(), sha256, signer.sign(bytes, sha256));
    }

    /** The identity signed, bound to its object name (so to its number). */
    public static WeirIdentity.Spec sign(String objectName, WeirIdentity.Spec spec, ArtifactSigner signer) {
        byte[] bytes = canonical(objectName, spec);
        String sha256 = Canonical.sha256(bytes);
        return new WeirIdentity.Spec(spec.number(), spec.namespace(), spec.namespaceLabels(), spec.podLabels(), spec.cidr(),
                sha256, signer.sign(bytes, sha256));
    }

    /** The node's spec signed; the node's name is covered, so a spec cannot be moved to another node. */
    public static WeirNode.Spec sign(String nodeName, WeirNode.Spec spec, ArtifactSigner signer) {
        byte[] bytes = canonical(nodeName, spec);
        String sha256 = Canonical.sha256(bytes);
        return new WeirNode.Spec(spec.generation(), spec.podCIDRs(), spec.addresses(), spec.maps(), spec.pods(), sha256, signer.sign(bytes, sha256));
    }

    static byte[] decode(String base64, String field) {
        try {
            return Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(field + " is not base64: " + e.getMessage());
        }
    }

    static Signature signature(String keyId, byte[] value) {
        return new Signature(keyId, Base64.getEncoder().encodeToString(value));
    }
}
