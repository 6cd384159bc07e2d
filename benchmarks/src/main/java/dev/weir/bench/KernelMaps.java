package dev.weir.bench;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.datapath.kernel.KernelMap;
import java.util.ArrayList;
import java.util.List;

/** A compiled cluster's maps in the kernel, filled, with BPF_PROG_TEST_RUN's loopback (ifindex 1) serving one pod. */
final class KernelMaps implements AutoCloseable {
    final List<KernelMap> maps = new ArrayList<>();

    KernelMaps(CompiledCluster compiled, PodEndpoint servedPod) {
        try {
            for (var spec : compiled.maps()) {
                KernelMap map = KernelMap.create(spec);
                maps.add(map);
                compiled.contents().fill(spec.name(), map);
            }
            named(WeirMaps.ENDPOINTS).update(WeirMaps.endpointKey(1), WeirMaps.endpoint(1, servedPod.ipv4(), servedPod.identity()), 0);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    KernelMap named(String name) {
        return maps.get(WeirMaps.NAMES.indexOf(name));
    }

    @Override
    public void close() {
        maps.forEach(KernelMap::close);
        maps.clear();
    }
}
