package dev.weir.datapath.kernel;

import dev.weir.datapath.maps.MapSpec;
import java.util.Optional;

/**
 * The bpf(2) system call. Every call goes through {@link #prepare}: a zeroed bpf_attr in an arena
 * of its own, which also holds the buffers the attr points at, all freed when the call's
 * try-with-resources block ends.
 */
public final class Bpf {
    /**
     * Bytes of bpf_attr passed to the kernel: up to log_true_size (PROG_LOAD, offset 140), the
     * last field this bridge uses. The kernel treats anything shorter than its own union as
     * zero-extended, so newer kernels accept it unchanged.
     */
    static final int ATTR_SIZE = 144;

    private Bpf() {}

    /** A zeroed attr for one call of {@code command}; {@code context} names the object for errors. */
    static BpfAttr prepare(BpfCommand command, String context) {
        return new BpfAttr(command, context, ATTR_SIZE);
    }

    /**
     * Why bpf(2) cannot be used by this process, or empty when it can: tries to create (and
     * closes) a one-entry array map, the cheapest call that needs the privileges everything else
     * needs.
     */
    public static Optional<String> unavailableReason() {
        try {
            KernelMap.create(MapSpec.array("weir_probe", 4, 1)).close();
            return Optional.empty();
        } catch (BpfException e) {
            return Optional.of("bpf(BPF_MAP_CREATE) failed with " + e.errnoName() + " (" + e.errno() + ")");
        } catch (LinkageError | UnsupportedOperationException | IllegalCallerException e) {
            return Optional.of("no native access to bpf(2): " + e.getMessage());
        }
    }
}
