package dev.weir.datapath.kernel;

/** How much the verifier writes while loading a program (bpf_attr.log_level). */
public enum VerifierLog {
    /** No log: the fast path. A failed load is retried with {@link #BASIC} to say why. */
    NONE(0),
    /** Each instruction on the paths explored, with register states where they matter, and the complaint. */
    BASIC(1),
    /** Register and stack state at every instruction: large. */
    VERBOSE(2),
    /** Only the totals: instructions processed, states, stack depth, verification time. */
    STATS(4);

    public final int level;

    VerifierLog(int level) {
        this.level = level;
    }
}
