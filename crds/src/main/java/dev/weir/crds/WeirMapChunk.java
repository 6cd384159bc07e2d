package dev.weir.crds;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Part of a compiled map's contents (ipcache, prefixes, rows, named ports), signed and named after its
 * content. A map's entries are spread over chunks by a hash of their key, so a change to a few entries
 * writes a few small chunks; the signed {@link WeirNode} names the chunks that make up each map, which
 * ties them to one generation without the chunk carrying it.
 *
 * @see MapChunks
 */
@Group(WeirApi.GROUP)
@Version(WeirApi.VERSION)
@Kind("WeirMapChunk")
@ShortNames("wchunk")
public class WeirMapChunk extends CustomResource<WeirMapChunk.Spec, Void> {

    /**
     * @param map       the map's name
     * @param keySize   bytes per key
     * @param valueSize bytes per value
     * @param entries   key then value, for each entry in unsigned key order, base64
     * @param sha256    hex SHA-256 of the canonical bytes; the object's name is derived from it
     */
    public record Spec(
            @Required @PrinterColumn(name = "Map") String map,
            @Min(1) int keySize,
            @Min(1) int valueSize,
            @Required String entries,
            @Required String sha256,
            Signature signature) implements SignedSpec {}
}
