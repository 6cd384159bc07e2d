package dev.weir.datapath.kernel;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Running code inside another network namespace. setns(2) moves only the calling thread, so the
 * code runs on a platform thread of its own that enters the namespace, runs it and ends: no
 * pooled thread is ever left in a foreign namespace. Interface lookups, bpf(2) attachments by
 * ifindex and sockets opened by that code all happen in the namespace.
 */
public final class NetNs {
    /** Where `ip netns add NAME` keeps its namespaces. */
    public static final Path NAMED = Path.of("/var/run/netns");

    private NetNs() {}

    /** The namespace `ip netns add name` made. */
    public static Path named(String name) {
        return NAMED.resolve(name);
    }

    /** The namespace a process is in. */
    public static Path ofProcess(long pid) {
        return Path.of("/proc", Long.toString(pid), "ns", "net");
    }

    /**
     * Calls {@code body} inside the network namespace at {@code namespace} and returns its result;
     * what it throws is rethrown here. Blocks until it is done.
     */
    public static <T> T run(Path namespace, Callable<T> body) throws Exception {
        Outcome<T> outcome = new Outcome<>();
        Thread worker = Thread.ofPlatform().name("netns " + namespace).unstarted(() -> {
            try {
                enter(namespace);
                outcome.value = body.call();
            } catch (Throwable t) {
                outcome.failure = t;
            }
        });
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            throw e;
        }
        // join() orders the worker's writes before these reads.
        if (outcome.failure instanceof Exception e) throw e;
        if (outcome.failure instanceof Error e) throw e;
        return outcome.value;
    }

    private static void enter(Path namespace) {
        Libc.Result opened = Libc.open(namespace.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (opened.failed()) throw new SyscallException("open(" + namespace + ")", opened.errno(), "");
        try (Fd fd = new Fd((int) opened.value(), "network namespace " + namespace)) {
            Libc.Result entered = Libc.setns(fd.get(), Libc.CLONE_NEWNET);
            if (entered.failed()) throw new SyscallException("setns(" + namespace + ", CLONE_NEWNET)", entered.errno(), "");
        }
    }

    private static final class Outcome<T> {
        T value;
        Throwable failure;
    }
}
