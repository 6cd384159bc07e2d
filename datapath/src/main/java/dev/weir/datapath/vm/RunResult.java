package dev.weir.datapath.vm;

/** How a run ended: the program returned (R0 and the packet as it left), or it faulted. */
public sealed interface RunResult {
    /** Instructions executed, across tail calls. */
    long instructions();

    /**
     * @param value    R0 at the final exit, all 64 bits
     * @param packet   the packet (or memory) after the run, with any head adjustment applied
     * @param redirect the ifindex passed to bpf_redirect, or -1
     */
    record Returned(long value, byte[] packet, int redirect, long instructions) implements RunResult {}

    record Faulted(VmFault fault, long instructions) implements RunResult {}

    /** R0, or throws IllegalStateException with the fault's description. */
    default long valueOrThrow() {
        return switch (this) {
            case Returned r -> r.value();
            case Faulted f -> throw new IllegalStateException(f.fault().describe());
        };
    }
}
