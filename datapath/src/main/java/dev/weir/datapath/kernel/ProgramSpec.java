package dev.weir.datapath.kernel;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.vm.ProgramType;
import java.util.Objects;

/**
 * What BPF_PROG_LOAD needs besides the maps: a name (15 characters of [A-Za-z0-9_.]), the program
 * type, the bytecode, the expected attach type where the kernel wants one (null when not), and how
 * much verifier log to keep after a successful load. The license is always "GPL".
 */
public record ProgramSpec(String name, ProgramType type, Bytecode code, AttachType expectedAttachType, VerifierLog log) {
    public ProgramSpec {
        ObjectNames.check(name);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(log, "log");
        if (type == null || type.kernelId < 0) {
            throw new IllegalArgumentException("program '" + name + "': " + type + " is not a kernel program type");
        }
        if (code.slotCount() == 0) throw new IllegalArgumentException("program '" + name + "' has no instructions");
    }

    public static ProgramSpec of(String name, ProgramType type, Bytecode code) {
        return new ProgramSpec(name, type, code, null, VerifierLog.NONE);
    }

    public ProgramSpec withExpectedAttachType(AttachType attachType) {
        return new ProgramSpec(name, type, code, attachType, log);
    }

    /** Keeps the verifier's log of a successful load too, e.g. {@link VerifierLog#STATS} for its totals. */
    public ProgramSpec withVerifierLog(VerifierLog level) {
        return new ProgramSpec(name, type, code, expectedAttachType, level);
    }
}
