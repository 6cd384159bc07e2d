package dev.weir.datapath.maps;

/** The errno values map operations and helpers return (as negative numbers to programs). */
public enum Errno {
    EPERM(1), ENOENT(2), E2BIG(7), EAGAIN(11), ENOMEM(12), EFAULT(14), EBUSY(16), EEXIST(17), EINVAL(22),
    ENOSPC(28), EOPNOTSUPP(95), ENOTSUPP(524);

    public final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The value a helper returns to a program: -code. */
    public long negative() {
        return -code;
    }

    public static Errno of(int code) {
        for (Errno e : values()) {
            if (e.code == code) return e;
        }
        return null;
    }
}
