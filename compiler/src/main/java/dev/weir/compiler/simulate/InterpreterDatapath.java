package dev.weir.compiler.simulate;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.datapath.maps.MapException;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.maps.ProgArrayMap;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.SkbMetadata;
import dev.weir.datapath.vm.VmProgram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The compiled programs in Weir's interpreter, with in-memory maps. */
final class InterpreterDatapath implements Datapath {
    private final Interpreter interpreter = new Interpreter();
    private final Map<String, VmProgram> programs = new HashMap<>();
    private final Map<String, MemoryMap> maps = new HashMap<>();
    private final MemoryMap conntrack;
    private final MemoryMap endpoints;

    InterpreterDatapath(CompiledCluster compiled) {
        List<MemoryMap> maps = new ArrayList<>();
        for (var spec : compiled.maps()) {
            MemoryMap map = MemoryMap.create(spec, 1);
            compiled.contents().fill(spec.name(), map);
            maps.add(map);
            this.maps.put(spec.name(), map);
        }
        conntrack = maps.get(WeirMaps.NAMES.indexOf(WeirMaps.CONNTRACK));
        endpoints = maps.get(WeirMaps.NAMES.indexOf(WeirMaps.ENDPOINTS));
        for (CompiledProgram program : compiled.programs().values()) {
            programs.put(program.name(), load(program, maps));
        }
    }

    /** Part 0, with the later parts in a program array of the program's own, as the kernel has them. */
    private static VmProgram load(CompiledProgram program, List<MemoryMap> shared) {
        if (!program.split()) {
            return VmProgram.load(program.name(), ProgramType.SCHED_CLS, program.entry().spec().code(), shared);
        }
        var jumps = (ProgArrayMap) MemoryMap.create(WeirMaps.jumps(), 1);
        var maps = new ArrayList<>(shared);
        maps.add(jumps);
        VmProgram entry = null;
        for (int k = 0; k < program.parts().size(); k++) {
            VmProgram part = VmProgram.load(program.name(), ProgramType.SCHED_CLS, program.parts().get(k).spec().code(), maps);
            if (k == 0) entry = part;
            else jumps.setProgram(k, part);
        }
        return entry;
    }

    @Override
    public HookRun run(String program, PodEndpoint pod, byte[] frame) {
        VmProgram loaded = programs.get(program);
        if (loaded == null) throw new IllegalArgumentException("no program " + program);
        endpoints.update(WeirMaps.endpointKey(IFINDEX), WeirMaps.endpoint(IFINDEX, pod.ipv4(), pod.identity()), 0);
        RunResult result = interpreter.runTc(loaded, frame, SkbMetadata.forPacket(frame, IFINDEX));
        int action = (int) result.valueOrThrow();
        return new HookRun(action, interpreter.skbCb(), ((RunResult.Returned) result).packet());
    }

    @Override
    public void forget(String map, byte[] key) {
        try {
            maps.get(map).delete(key);
        } catch (MapException absent) {
            // nothing was tracked
        }
    }

    @Override
    public int forgetConnectionsOf(int ipv4) {
        return dev.weir.compiler.abi.Conntrack.forget(conntrack, ipv4);
    }

    @Override
    public void close() {}
}
