package dev.weir.datapath.isa;

/** The eleven eBPF registers. R10 is the read-only frame pointer. */
public enum Register implements Source {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    /** Conventional aliases: R0 holds return values, R1-R5 arguments, R10 the frame pointer. */
    public static final Register RETURN = R0, CONTEXT = R1, FRAME_POINTER = R10;

    private static final Register[] BY_NUMBER = values();

    public int number() {
        return ordinal();
    }

    public static Register of(int number) {
        if (number < 0 || number >= BY_NUMBER.length) {
            throw new IllegalArgumentException("no register r" + number);
        }
        return BY_NUMBER[number];
    }

    @Override
    public String toString() {
        return "r" + ordinal();
    }
}
