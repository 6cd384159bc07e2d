package dev.weir.compiler.reference;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;

/**
 * Something that decides whether NetworkPolicies let a new connection through: the reference evaluator
 * today; the compiled eBPF programs run in the interpreter, or in the kernel, later. The table tests and the
 * property tests run every engine on the same cases.
 */
public interface ReachabilityEngine {

    String name();

    /** Prepares for one cluster state (a compiling engine compiles here). */
    Verdicts load(ClusterState cluster);

    /** Answers for one loaded cluster state; close it to free what a kernel engine loaded. */
    interface Verdicts extends AutoCloseable {
        /**
         * Whether a new connection from {@code source} to {@code destination}'s {@code port} is allowed;
         * replies to an allowed connection are always allowed (policies are stateful).
         */
        boolean allows(Endpoint source, Endpoint destination, int port, Protocol protocol);

        @Override
        default void close() {}
    }
}
