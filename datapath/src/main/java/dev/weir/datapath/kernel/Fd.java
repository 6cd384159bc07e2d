package dev.weir.datapath.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned file descriptor: closed exactly once, through close(2), by the first {@link #close};
 * later closes do nothing, and {@link #get} after close throws. Owners close it; there is no
 * finalizer, so a forgotten descriptor leaks (the descriptor-leak tests look for that).
 */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = -1;

    private final AtomicInteger number;
    private final String what;

    /** Takes ownership of {@code number}; {@code what} names it in messages ("map 'policy'"). */
    public Fd(int number, String what) {
        if (number < 0) throw new IllegalArgumentException("not a file descriptor: " + number);
        this.number = new AtomicInteger(number);
        this.what = what;
    }

    /** The descriptor number, to pass to the kernel. */
    public int get() {
        int n = number.get();
        if (n == CLOSED) throw new IllegalStateException(what + ": file descriptor already closed");
        return n;
    }

    public boolean isOpen() {
        return number.get() != CLOSED;
    }

    @Override
    public void close() {
        int n = number.getAndSet(CLOSED);
        if (n == CLOSED) return;
        Libc.Result r = Libc.close(n);
        // On Linux the descriptor is released even when close(2) reports EINTR or EIO; only EBADF
        // means it was not ours to close, i.e. someone else closed it.
        if (r.failed() && r.errno() == Libc.EBADF) {
            throw new IllegalStateException(what + ": fd " + n + " was already closed elsewhere (EBADF)");
        }
    }

    @Override
    public String toString() {
        int n = number.get();
        return what + " (" + (n == CLOSED ? "closed" : "fd " + n) + ")";
    }
}
