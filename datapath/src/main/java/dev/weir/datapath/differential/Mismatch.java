package dev.weir.datapath.differential;

/** One way the interpreter and the kernel disagreed. */
public record Mismatch(String what, String interpreter, String kernel) {
    @Override
    public String toString() {
        return what + ": interpreter " + interpreter + ", kernel " + kernel;
    }
}
