package dev.weir.datapath.vm;

/**
 * Why a run stopped abnormally: a memory violation (with address, size and region), a helper
 * misuse, or an exhausted budget. Carried in {@link RunResult.Faulted}; never escapes a run.
 */
public final class VmFault extends RuntimeException {
    private final int pc;
    private final long address;
    private final int size;
    private final String region;

    VmFault(int pc, long address, int size, String region, String message) {
        super(message, null, false, false); // no stack trace: faults are results, not bugs
        this.pc = pc;
        this.address = address;
        this.size = size;
        this.region = region;
    }

    static VmFault at(int pc, String message) {
        return new VmFault(pc, 0, 0, null, message);
    }

    public int pc() {
        return pc;
    }

    public long address() {
        return address;
    }

    public int size() {
        return size;
    }

    /** The region the address fell in ("stack frame 0", "packet", ...), or null. */
    public String region() {
        return region;
    }

    /** One line: pc, what happened, address, size and region. */
    public String describe() {
        StringBuilder sb = new StringBuilder("pc ").append(pc).append(": ").append(getMessage());
        if (size > 0) {
            sb.append(" (address 0x").append(Long.toHexString(address)).append(", size ").append(size);
            if (region != null) sb.append(", region ").append(region);
            sb.append(')');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
