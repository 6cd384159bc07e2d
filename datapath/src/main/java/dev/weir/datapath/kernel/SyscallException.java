package dev.weir.datapath.kernel;

/** A system call the kernel refused, with its errno by number and by name. */
public class SyscallException extends RuntimeException {
    private final int errno;

    /** "{@code what} failed: EPERM (1){@code detail}". */
    public SyscallException(String what, int errno, String detail) {
        super(what + " failed: " + ErrnoNames.of(errno) + " (" + errno + ")" + detail);
        this.errno = errno;
    }

    /** The errno number, positive: 1 for EPERM. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno: "EPERM", "EINVAL", "E2BIG"... */
    public String errnoName() {
        return ErrnoNames.of(errno);
    }
}
