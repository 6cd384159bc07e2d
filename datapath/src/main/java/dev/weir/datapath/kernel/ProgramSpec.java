package dev.weir.datapath.kernel;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.ProgramType;
import java.util.List;
import java.util.Objects;

/**
 * A program as a pure value, apart from any loaded kernel object: a name (15 characters of
 * [A-Za-z0-9_.]), the program type, the bytecode, the specs of the maps the bytecode names by index
 * (BPF_PSEUDO_MAP_IDX: map i is {@code maps.get(i)}), the expected attach type where the kernel
 * wants one (null when not), and how much verifier log to keep after a successful load. Equal specs
 * load the same program. The license is always "GPL".
 */
public record ProgramSpec(String name, ProgramType type, Bytecode code, List<MapSpec> maps, AttachType expectedAttachType,
                          VerifierLog log) {
    public ProgramSpec {
        maps = List.copyOf(maps);
        ObjectNames.check(name);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(log, "log");
        if (type == null || type.kernelId < 0) {
            throw new IllegalArgumentException("program '" + name + "': " + type + " is not a kernel program type");
        }
        if (code.slotCount() == 0) throw new IllegalArgumentException("program '" + name + "' has no instructions");
    }

    /** A program using the given maps, in the order of its map indexes (none for a program without maps). */
    public static ProgramSpec of(String name, ProgramType type, Bytecode code, MapSpec... maps) {
        return new ProgramSpec(name, type, code, List.of(maps), null, VerifierLog.NONE);
    }

    public static ProgramSpec of(String name, ProgramType type, Bytecode code, List<MapSpec> maps) {
        return new ProgramSpec(name, type, code, maps, null, VerifierLog.NONE);
    }

    public ProgramSpec withExpectedAttachType(AttachType attachType) {
        return new ProgramSpec(name, type, code, maps, attachType, log);
    }

    /** Keeps the verifier's log of a successful load too, e.g. {@link VerifierLog#STATS} for its totals. */
    public ProgramSpec withVerifierLog(VerifierLog level) {
        return new ProgramSpec(name, type, code, maps, expectedAttachType, level);
    }
}
