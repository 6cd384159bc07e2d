package dev.weir.agent.enforce;

import dev.weir.compiler.abi.WeirMaps;
import dev.weir.crds.MapChunks;
import dev.weir.crds.MapLayout;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactException;
import dev.weir.crds.signing.ArtifactVerifier;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.kernel.AttachType;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.vm.LoadException;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.VmProgram;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Everything an artifact passes before the kernel sees it. The node's spec: the operator's signature,
 * bound to this node, and a generation no older than the one running (no replay). Each program: its
 * signature and content address, then the interpreter's loader on the bytes (valid encoding and
 * registers, jumps inside their function and not into a wide instruction, helpers allowed for tc
 * programs, valid map references, every function ending in exit), and a map layout equal to the others'.
 * Each chunk: signature and content address, the map and sizes the node names it for. The kernel verifier
 * comes after, at load.
 */
public final class ArtifactCheck {

    /** The state cannot be used yet (an object missing, refused, or older than what runs). */
    public static final class NotUsable extends RuntimeException {
        public NotUsable(String message) {
            super(message);
        }
    }

    private final ArtifactVerifier verifier;

    public ArtifactCheck(ArtifactVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * @param running the generation the agent runs (0 when none): an older spec is a replay and refused
     */
    public VerifiedNode check(String nodeName, ArtifactSource source, long running) {
        WeirNode node = source.node(nodeName);
        if (node == null) throw new NotUsable("WeirNode " + nodeName + " does not exist yet");
        if (node.getMetadata() == null || !nodeName.equals(node.getMetadata().getName())) {
            throw new NotUsable("WeirNode " + nodeName + ": the object found is another node's (" + (node.getMetadata() == null ? null : node.getMetadata().getName()) + ")");
        }
        WeirNode.Spec spec;
        try {
            spec = verifier.verify(node);
        } catch (ArtifactException e) {
            throw new NotUsable(e.getMessage());
        }
        if (spec.generation() < running) {
            throw new NotUsable("WeirNode " + nodeName + ": generation " + spec.generation() + " is older than the running " + running
                    + " (a replayed spec)");
        }
        var programs = new LinkedHashMap<String, List<ProgramSpec>>();
        var refused = new LinkedHashMap<String, String>();
        List<MapSpec> layout = null;
        var pods = new LinkedHashMap<String, WeirNode.Pod>();
        for (WeirNode.Pod pod : spec.pods()) {
            pods.put(pod.hostInterface(), pod);
            for (String name : List.of(pod.ingressProgram(), pod.egressProgram())) {
                if (programs.containsKey(name) || refused.containsKey(name)) continue;
                // Not there yet (informers deliver in no fixed order) is not a refusal: wait for it.
                if (source.program(name) == null) throw new NotUsable("WeirProgram " + name + " does not exist yet");
                try {
                    List<ProgramSpec> chain = chain(name, source, layout);
                    if (layout == null) layout = WeirMaps.shared(chain.getFirst().maps());
                    programs.put(name, chain);
                } catch (ArtifactException | LoadException | IllegalArgumentException e) {
                    refused.put(name, e.getMessage());
                }
            }
        }
        Map<String, NavigableMap<byte[], byte[]>> contents = new HashMap<>();
        for (WeirNode.MapContents map : spec.maps()) {
            MapSpec mapSpec = layout == null ? null : layout.stream().filter(m -> m.name().equals(map.map())).findFirst().orElse(null);
            if (layout != null && mapSpec == null) throw new NotUsable("WeirNode " + nodeName + ": map " + map.map() + " is not one the programs use");
            var chunks = new java.util.ArrayList<WeirMapChunk.Spec>();
            for (String chunkName : map.chunks()) {
                WeirMapChunk chunk = source.chunk(chunkName);
                if (chunk == null) throw new NotUsable("WeirMapChunk " + chunkName + " (map " + map.map() + ") does not exist yet");
                try {
                    chunks.add(verifier.verify(chunk));
                } catch (ArtifactException e) {
                    throw new NotUsable(e.getMessage());
                }
            }
            try {
                contents.put(map.map(), mapSpec == null ? new TreeMap<>(java.util.Arrays::compareUnsigned)
                        : MapChunks.join(map.map(), mapSpec.keySize(), mapSpec.valueSize(), chunks));
            } catch (IllegalArgumentException e) {
                throw new NotUsable("WeirNode " + nodeName + ": " + e.getMessage());
            }
        }
        try {
            dev.weir.compiler.compile.MaglevRows.check(
                    contents.getOrDefault(dev.weir.compiler.abi.LbMaps.SERVICES, new TreeMap<>(java.util.Arrays::compareUnsigned)),
                    contents.getOrDefault(dev.weir.compiler.abi.LbMaps.BACKENDS, new TreeMap<>(java.util.Arrays::compareUnsigned)));
        } catch (IllegalArgumentException e) {
            throw new NotUsable("WeirNode " + nodeName + ": " + e.getMessage());
        }
        return new VerifiedNode(nodeName, spec.generation(), spec.podCIDRs() == null ? List.of() : spec.podCIDRs(),
                spec.addresses() == null ? List.of() : spec.addresses(), pods, programs,
                refused, layout == null ? List.of() : layout, contents);
    }

    /**
     * The program named {@code name} and its parts (part 0 first), each verified. Part 0's signed spec names
     * the parts by content address; a part names none of its own, runs in the same direction and indexes the
     * same maps, which end with the program's own program array.
     */
    private List<ProgramSpec> chain(String name, ArtifactSource source, List<MapSpec> layout) {
        WeirProgram.Spec entry = verifier.verify(source.program(name));
        List<String> partNames = entry.parts() == null ? List.of() : entry.parts();
        if (partNames.size() >= WeirMaps.MAX_PARTS) {
            throw new ArtifactException("WeirProgram " + name + ": " + (partNames.size() + 1) + " parts, more than " + WeirMaps.MAX_PARTS);
        }
        var chain = new ArrayList<ProgramSpec>();
        chain.add(program(name, entry, layout, !partNames.isEmpty()));
        for (String partName : partNames) {
            WeirProgram part = source.program(partName);
            if (part == null) throw new NotUsable("WeirProgram " + partName + " (a part of " + name + ") does not exist yet");
            WeirProgram.Spec spec = verifier.verify(part);
            if (spec.parts() != null && !spec.parts().isEmpty()) {
                throw new ArtifactException("WeirProgram " + name + ": its part " + partName + " names parts of its own");
            }
            if (!entry.direction().equals(spec.direction())) {
                throw new ArtifactException("WeirProgram " + name + ": its part " + partName + " runs " + spec.direction() + ", not " + entry.direction());
            }
            ProgramSpec checked = program(partName, spec, layout, true);
            if (!checked.maps().equals(chain.getFirst().maps())) {
                throw new ArtifactException("WeirProgram " + name + ": its part " + partName + " indexes other maps");
            }
            chain.add(checked);
        }
        // The interpreter's loader checks every part's bytes against in-memory maps of the same layout.
        List<MemoryMap> maps = chain.getFirst().maps().stream().map(m -> MemoryMap.create(emptyShape(m), 1)).toList();
        for (ProgramSpec part : chain) VmProgram.load(part.name(), ProgramType.SCHED_CLS, part.code(), maps);
        return List.copyOf(chain);
    }

    /** @param inParts whether the program is (a part of) a program in parts, whose last map is its program array */
    private static ProgramSpec program(String name, WeirProgram.Spec spec, List<MapSpec> layout, boolean inParts) {
        List<MapSpec> maps = spec.maps().stream().map(ArtifactCheck::mapSpec).toList();
        if (inParts && (maps.isEmpty() || !maps.getLast().equals(WeirMaps.jumps()))) {
            throw new ArtifactException("WeirProgram " + name + ": a program in parts must index its own " + WeirMaps.JUMPS + " last");
        }
        if (!inParts && maps.stream().anyMatch(map -> map.name().equals(WeirMaps.JUMPS))) {
            throw new ArtifactException("WeirProgram " + name + ": indexes " + WeirMaps.JUMPS + " but names no parts");
        }
        if (layout != null && !layout.equals(WeirMaps.shared(maps))) {
            throw new ArtifactException("WeirProgram " + name + ": its maps differ from the other programs' of the node");
        }
        Bytecode bytecode = Bytecode.of(Base64.getDecoder().decode(spec.bytecode()));
        AttachType hook = "Ingress".equals(spec.direction()) ? AttachType.TCX_EGRESS : AttachType.TCX_INGRESS;
        return ProgramSpec.of(spec.programName(), ProgramType.SCHED_CLS, bytecode, maps).withExpectedAttachType(hook);
    }

    /** The same map with one entry's room: the loader checks references, not capacity. */
    private static MapSpec emptyShape(MapSpec spec) {
        return new MapSpec(spec.name(), spec.type(), spec.keySize(), spec.valueSize(), 1, spec.flags());
    }

    static MapSpec mapSpec(MapLayout layout) {
        return new MapSpec(layout.name(), MapType.valueOf(layout.type()), layout.keySize(), layout.valueSize(), layout.maxEntries(), layout.flags());
    }
}
