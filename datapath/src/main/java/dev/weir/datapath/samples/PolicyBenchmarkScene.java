package dev.weir.datapath.samples;

import static dev.weir.datapath.samples.PolicyShapedProgram.identityKey;
import static dev.weir.datapath.samples.PolicyShapedProgram.policyKey;
import static dev.weir.datapath.samples.PolicyShapedProgram.u32;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.VmProgram;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark scene of ../shared/notes/ebpf-facts.md: the policy-shaped program with 10,000
 * prefixes (/8 to /32) in the identity trie and 10,000 policy entries, and three packets:
 * an exact-port hit (1 LPM + 1 hash), a wildcard-port hit and a deny (1 LPM + 2 hash each).
 */
public final class PolicyBenchmarkScene {
    public static final int ENTRIES = 10_000;
    public final List<MemoryMap> maps;
    public final VmProgram program;
    public final Bytecode bytecode;
    public final byte[] exactHit, wildcardHit, denied;

    public PolicyBenchmarkScene() {
        maps = PolicyShapedProgram.maps(ENTRIES + 16, ENTRIES + 16).stream().map(s -> MemoryMap.create(s, 1)).toList();
        BpfMap identities = maps.get(0), policy = maps.get(1);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < ENTRIES - 3; i++) {
            int length = 8 + random.nextInt(25);
            int address = random.nextInt() & (int) (0xffffffffL << (32 - length));
            identities.update(identityKey(address, length), u32(1000 + i), BpfMap.ANY);
        }
        // Three known sources, most specific so the lookup result is certain.
        identities.update(identityKey(Frames.ip("10.1.2.3"), 32), u32(100), BpfMap.ANY);
        identities.update(identityKey(Frames.ip("10.9.0.7"), 32), u32(300), BpfMap.ANY);
        identities.update(identityKey(Frames.ip("10.6.6.6"), 32), u32(666), BpfMap.ANY);
        for (int i = 0; i < ENTRIES - 2; i++) {
            policy.update(policyKey(1000 + random.nextInt(ENTRIES), 1 + random.nextInt(65535), Frames.TCP), u32(i), BpfMap.ANY);
        }
        policy.update(policyKey(100, 8080, Frames.TCP), u32(1), BpfMap.ANY);
        policy.update(policyKey(300, 0, Frames.TCP), u32(2), BpfMap.ANY);

        bytecode = PolicyShapedProgram.xdp().encode(PolicyShapedProgram::mapIndex);
        program = VmProgram.load("policy_bench", ProgramType.XDP, bytecode, maps);
        int dst = Frames.ip("10.2.0.10");
        exactHit = Frames.tcp(Frames.ip("10.1.2.3"), dst, 40000, 8080, Frames.TCP_SYN);
        wildcardHit = Frames.tcp(Frames.ip("10.9.0.7"), dst, 40000, 9100, Frames.TCP_SYN);
        denied = Frames.tcp(Frames.ip("10.6.6.6"), dst, 40000, 8080, Frames.TCP_SYN);
    }




}
