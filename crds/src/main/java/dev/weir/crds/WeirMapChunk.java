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
 * Part of a map's contents for one generation of the compiled cluster (ipcache, prefixes, rows, named
 * ports), signed. A map's entries are split into chunks small enough for etcd (at most
 * {@link MapChunks#MAX_CHUNK_BYTES} of entries each); an agent applies a generation once it holds all
 * {@code count} chunks and every signature verifies.
 *
 * @see MapChunks
 */
@Group(WeirApi.GROUP)
@Version(WeirApi.VERSION)
@Kind("WeirMapChunk")
@ShortNames("wchunk")
public class WeirMapChunk extends CustomResource<WeirMapChunk.Spec, Void> {

    /**
     * @param map        the map's name
     * @param generation the compiled cluster's generation this chunk belongs to
     * @param index      this chunk's place, from 0
     * @param count      how many chunks the map has in this generation
     * @param keySize    bytes per key
     * @param valueSize  bytes per value
     * @param entries    key then value, for each entry in key order, base64
     * @param sha256     hex SHA-256 of the canonical bytes
     */
    public record Spec(
            @Required @PrinterColumn(name = "Map") String map,
            @Required @Min(1) @PrinterColumn(name = "Generation") long generation,
            @Min(0) int index,
            @Min(1) int count,
            @Min(1) int keySize,
            @Min(1) int valueSize,
            @Required String entries,
            @Required String sha256,
            Signature signature) {}
}
