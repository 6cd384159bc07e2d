package dev.weir.compiler.simulate;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.ProgramChain;
import dev.weir.datapath.kernel.RunContexts;
import dev.weir.datapath.kernel.TestRun;
import dev.weir.datapath.kernel.TestRunRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The compiled programs loaded into the kernel (through the verifier), run by BPF_PROG_TEST_RUN. */
final class KernelDatapath implements Datapath {

    private final List<KernelMap> maps = new ArrayList<>();
    private final Map<String, ProgramChain> programs = new HashMap<>();
    private final KernelMap conntrack;
    private final KernelMap endpoints;

    KernelDatapath(CompiledCluster compiled) {
        try {
            for (var spec : compiled.maps()) {
                KernelMap map = KernelMap.create(spec);
                maps.add(map);
                compiled.contents().fill(spec.name(), map);
            }
            conntrack = maps.get(WeirMaps.NAMES.indexOf(WeirMaps.CONNTRACK));
            endpoints = maps.get(WeirMaps.NAMES.indexOf(WeirMaps.ENDPOINTS));
            for (CompiledProgram program : compiled.programs().values()) {
                programs.put(program.name(), ProgramChain.load(program.parts().stream().map(CompiledProgram.Part::spec).toList(), maps));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public HookRun run(String program, PodEndpoint pod, byte[] frame) {
        ProgramChain chain = programs.get(program);
        if (chain == null) throw new IllegalArgumentException("no program " + program);
        endpoints.update(WeirMaps.endpointKey(IFINDEX), WeirMaps.endpoint(IFINDEX, pod.ipv4(), pod.identity()), 0);
        TestRun run = chain.entry().testRun(TestRunRequest.of(frame).withContext(RunContexts.skBuff(0, 0)));
        return new HookRun((int) run.retval(), RunContexts.skBuffCb(run.contextOut()), run.dataOut());
    }

    @Override
    public void forget(String name, byte[] key) {
        KernelMap map = maps.get(WeirMaps.NAMES.indexOf(name));
        if (map.lookup(key).isPresent()) {
            map.delete(key);
        }
    }

    @Override
    public int forgetConnectionsOf(int ipv4) {
        return dev.weir.compiler.abi.Conntrack.forget(conntrack, ipv4);
    }

    @Override
    public void close() {
        programs.values().forEach(ProgramChain::close);
        programs.clear();
        maps.forEach(KernelMap::close);
        maps.clear();
    }
}
