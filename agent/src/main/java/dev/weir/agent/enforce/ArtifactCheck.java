package dev.weir.agent.enforce;

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
        var programs = new LinkedHashMap<String, ProgramSpec>();
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
                    ProgramSpec program = program(name, source.program(name), layout);
                    if (layout == null) layout = program.maps();
                    programs.put(name, program);
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
        return new VerifiedNode(nodeName, spec.generation(), spec.podCIDRs() == null ? List.of() : spec.podCIDRs(),
                spec.addresses() == null ? List.of() : spec.addresses(), pods, programs,
                refused, layout == null ? List.of() : layout, contents);
    }

    private ProgramSpec program(String name, WeirProgram program, List<MapSpec> layout) {
        if (program == null) throw new ArtifactException("WeirProgram " + name + " does not exist yet");
        WeirProgram.Spec spec = verifier.verify(program);
        List<MapSpec> maps = spec.maps().stream().map(ArtifactCheck::mapSpec).toList();
        if (layout != null && !layout.equals(maps)) {
            throw new ArtifactException("WeirProgram " + name + ": its maps differ from the other programs' of the node");
        }
        Bytecode bytecode = Bytecode.of(Base64.getDecoder().decode(spec.bytecode()));
        // The interpreter's loader checks the bytes against in-memory maps of the same layout.
        VmProgram.load(spec.programName(), ProgramType.SCHED_CLS, bytecode, maps.stream().map(m -> MemoryMap.create(emptyShape(m), 1)).toList());
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
