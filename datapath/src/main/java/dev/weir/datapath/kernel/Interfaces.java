package dev.weir.datapath.kernel;

import java.util.NoSuchElementException;
import java.util.OptionalInt;

/**
 * Network interfaces by name, in the network namespace of the calling thread (see
 * {@link NetNs#run}).
 */
public final class Interfaces {
    private Interfaces() {}

    /** The interface index of {@code name} (if_nametoindex); throws NoSuchElementException if there is none. */
    public static int ifindex(String name) {
        return find(name).orElseThrow(() -> new NoSuchElementException("no network interface '" + name + "' in this network namespace"));
    }

    public static OptionalInt find(String name) {
        Libc.Result r = Libc.ifNameToIndex(name);
        if (r.value() > 0) return OptionalInt.of((int) r.value());
        if (r.errno() == Libc.ENODEV) return OptionalInt.empty();
        throw new SyscallException("if_nametoindex(" + name + ")", r.errno(), "");
    }
}
