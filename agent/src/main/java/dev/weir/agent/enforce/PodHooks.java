package dev.weir.agent.enforce;

import dev.weir.agent.enforce.NodePins.Hook;
import dev.weir.agent.network.PodNetwork;
import dev.weir.datapath.kernel.AttachType;
import dev.weir.datapath.kernel.KernelLink;
import dev.weir.datapath.kernel.KernelProgram;
import java.nio.file.Files;

/**
 * One pod interface and its two tcx links: from the pod (the interface's tc ingress) and to it (tc egress),
 * each pinned. A link once attached is only ever swapped (LINK_UPDATE, atomic), so a pod is never without
 * a program between two states.
 */
final class PodHooks {
    /** What a hook runs when the pod's policy is not known yet. */
    static final String PENDING = "pending";

    /** A program for each hook: by content address (or {@link #PENDING}), and loaded. */
    record Programs(String fromPodName, KernelProgram fromPod, String toPodName, KernelProgram toPod) {}

    /** Whether hooks already running a program of the same name are swapped too (their maps were replaced). */
    enum Swap { WHEN_CHANGED, ALWAYS }

    final String hostInterface;
    final int ifindex;
    int address; // 0 when adopted from pins and not yet matched to a pod
    private KernelLink fromPod;
    private KernelLink toPod;
    private String fromPodProgram; // content address, or PENDING, or null when adopted
    private String toPodProgram;

    PodHooks(String hostInterface, int ifindex, int address) {
        this.hostInterface = hostInterface;
        this.ifindex = ifindex;
        this.address = address;
    }

    /** The hooks an earlier agent pinned; one whose pin is missing is attached again at the first pass. */
    static PodHooks adopted(String hostInterface, int ifindex, NodePins pins) {
        var hooks = new PodHooks(hostInterface, ifindex, 0);
        if (Files.exists(pins.link(hostInterface, Hook.FROM_POD))) hooks.fromPod = KernelLink.openPinned(pins.link(hostInterface, Hook.FROM_POD));
        if (Files.exists(pins.link(hostInterface, Hook.TO_POD))) hooks.toPod = KernelLink.openPinned(pins.link(hostInterface, Hook.TO_POD));
        return hooks;
    }

    void run(Programs programs, Swap swap, PodNetwork network, NodePins pins) {
        fromPod = run(fromPod, fromPodProgram, programs.fromPodName(), programs.fromPod(), Hook.FROM_POD, swap, network, pins);
        fromPodProgram = programs.fromPodName();
        toPod = run(toPod, toPodProgram, programs.toPodName(), programs.toPod(), Hook.TO_POD, swap, network, pins);
        toPodProgram = programs.toPodName();
    }

    private KernelLink run(KernelLink link, String running, String name, KernelProgram program, Hook hook, Swap swap,
                           PodNetwork network, NodePins pins) {
        if (link == null) {
            AttachType attach = hook == Hook.FROM_POD ? AttachType.TCX_INGRESS : AttachType.TCX_EGRESS;
            KernelLink attached = network.inNode(() -> KernelLink.attachTcx(program, ifindex, attach));
            pins.pin(attached, pins.link(hostInterface, hook));
            return attached;
        }
        if (swap == Swap.ALWAYS || !name.equals(running)) link.update(program);
        return link;
    }

    /** Both hooks attached and running a policy's programs (this agent's or, adopted, an earlier one's). */
    boolean runningPolicy() {
        return fromPod != null && toPod != null && !PENDING.equals(fromPodProgram);
    }

    boolean pending() {
        return PENDING.equals(fromPodProgram);
    }

    /** Adopted and not yet given a program of this agent's. */
    boolean adoptedOnly() {
        return fromPodProgram == null || toPodProgram == null;
    }

    String fromPodProgram() {
        return fromPodProgram;
    }

    String toPodProgram() {
        return toPodProgram;
    }

    /** Closes the descriptors; the pins keep the links. */
    void close() {
        if (fromPod != null) fromPod.close();
        if (toPod != null) toPod.close();
    }

    /** Detaches: descriptors closed and pins removed. */
    void release(NodePins pins) {
        close();
        NodePins.deleteQuietly(pins.links().resolve(hostInterface));
    }

    @Override
    public String toString() {
        return fromPodProgram + " / " + toPodProgram;
    }
}
