package dev.weir.datapath.isa;

/** Bytecode that is not valid eBPF, or code that cannot be encoded; names the instruction. */
public class BytecodeException extends RuntimeException {
    private final int pc;

    public BytecodeException(int pc, String message) {
        super(pc >= 0 ? "instruction " + pc + ": " + message : message);
        this.pc = pc;
    }

    /** The slot index of the offending instruction, or -1 when the error is not about one. */
    public int pc() {
        return pc;
    }
}
