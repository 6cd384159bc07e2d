package dev.weir.datapath.kernel;

import java.util.Arrays;

/**
 * BPF_PROG_LOAD refused a program and the verifier said why. The message carries the last lines
 * of the log (the complaint is at the end); {@link #log()} has all of it.
 */
public final class VerifierException extends BpfException {
    private static final int TAIL_LINES = 12;

    private final String programName;
    private final String log;

    public VerifierException(int errno, String programName, String log) {
        super(BpfCommand.PROG_LOAD, errno, "program '" + programName + "'", "\n" + tail(log));
        this.programName = programName;
        this.log = log;
    }

    public String programName() {
        return programName;
    }

    /** The verifier's log, as the kernel wrote it. */
    public String log() {
        return log;
    }

    private static String tail(String log) {
        String[] lines = log.strip().split("\n");
        int from = Math.max(0, lines.length - TAIL_LINES);
        String shown = String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
        return from == 0 ? shown : "... (" + from + " lines before)\n" + shown;
    }
}
