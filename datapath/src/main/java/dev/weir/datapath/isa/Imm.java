package dev.weir.datapath.isa;

/** A 32-bit immediate operand; the machine sign-extends it where the operation is 64 bits wide. */
public record Imm(int value) implements Source {
    public static Imm of(int value) {
        return new Imm(value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
