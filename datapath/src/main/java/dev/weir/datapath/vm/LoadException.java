package dev.weir.datapath.vm;

/** A program refused at load time, naming the program, the instruction and the reason. */
public class LoadException extends RuntimeException {
    private final int pc;

    public LoadException(String program, int pc, String message) {
        super("program '" + program + "'" + (pc >= 0 ? ", instruction " + pc : "") + ": " + message);
        this.pc = pc;
    }

    public int pc() {
        return pc;
    }
}
