package dev.weir.agent.enforce;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.codegen.PendingProgram;
import dev.weir.datapath.kernel.KernelProgram;
import java.util.List;
import java.util.Optional;

/**
 * The two programs pods run until their policy is published (see {@link PendingProgram}), loaded for the
 * node's addresses as last given. Links running an older pair keep it alive until they are swapped.
 */
final class PendingPrograms implements AutoCloseable {
    private KernelProgram fromPod;
    private KernelProgram toPod;
    private List<Integer> addresses;

    /** Loads the pair for {@code nodeAddresses} when they differ from the loaded ones; true if so. */
    boolean refresh(List<String> nodeAddresses) {
        List<Integer> wanted = nodeAddresses.stream().map(Ipv4::parse).flatMap(Optional::stream).sorted().toList();
        if (wanted.equals(addresses)) return false;
        KernelProgram from = KernelProgram.load(PendingProgram.spec(true, wanted));
        KernelProgram to;
        try {
            to = KernelProgram.load(PendingProgram.spec(false, wanted));
        } catch (RuntimeException e) {
            from.close();
            throw e;
        }
        close();
        fromPod = from;
        toPod = to;
        addresses = wanted;
        return true;
    }

    /** The pair (for no node address, if none was given yet: drop everything). */
    PodHooks.Programs programs() {
        if (fromPod == null) refresh(List.of());
        return new PodHooks.Programs(PodHooks.PENDING, fromPod, PodHooks.PENDING, toPod);
    }

    @Override
    public void close() {
        if (fromPod != null) fromPod.close();
        if (toPod != null) toPod.close();
        fromPod = null;
        toPod = null;
    }
}
