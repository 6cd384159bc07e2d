package dev.weir.datapath.kernel;

/** A bpf(2) call the kernel refused: which command, on what, and the errno it gave. */
public class BpfException extends SyscallException {
    private final BpfCommand command;
    private final String context;

    public BpfException(BpfCommand command, int errno, String context) {
        this(command, errno, context, "");
    }

    protected BpfException(BpfCommand command, int errno, String context, String detail) {
        super(command.kernelName() + (context.isEmpty() ? "" : " (" + context + ")"), errno, detail);
        this.command = command;
        this.context = context;
    }

    public BpfCommand command() {
        return command;
    }

    /** What the call was about, e.g. "map 'policy' (HASH)" or "program 'xdp_policy' (XDP)". */
    public String context() {
        return context;
    }
}
