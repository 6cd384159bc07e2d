package dev.weir.compiler.simulate;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.PodEndpoint;

/**
 * Where a compiled cluster's programs run for the simulator: the embedded interpreter or the kernel
 * (BPF_PROG_TEST_RUN). Both load the same bytecode and the same map contents.
 */
public sealed interface Datapath extends AutoCloseable permits InterpreterDatapath, KernelDatapath {

    /** What one program did with one packet: the tc action, skb->cb and the packet as the program left them. */
    record HookRun(int action, int[] cb, byte[] packet) {}

    /**
     * Runs program {@code program} on a frame, as on {@code pod}'s host-side interface: the interface of every
     * run is ifindex 1 (BPF_PROG_TEST_RUN's loopback), whose endpoint entry is set to the pod first.
     */
    HookRun run(String program, PodEndpoint pod, byte[] frame);

    /** The interface every simulated hook runs on: BPF_PROG_TEST_RUN's default device, loopback. */
    int IFINDEX = 1;

    /** Drops an entry of a node-owned map (conntrack, translations; absent is fine), so that probes do not see each other. */
    void forget(String map, byte[] key);

    /** Drops a connection-tracking entry (absent is fine). */
    default void forgetConnection(byte[] key) {
        forget(dev.weir.compiler.abi.WeirMaps.CONNTRACK, key);
    }

    /** Drops every connection of an address, as the agent does when the address leaves its pod; how many. */
    int forgetConnectionsOf(int ipv4);

    @Override
    void close();

    static Datapath interpreter(CompiledCluster compiled) {
        return new InterpreterDatapath(compiled);
    }

    /** Creates the maps and loads every program into the kernel: needs bpf(2) (root or CAP_BPF). */
    static Datapath kernel(CompiledCluster compiled) {
        return new KernelDatapath(compiled);
    }
}
