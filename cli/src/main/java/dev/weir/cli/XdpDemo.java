package dev.weir.cli;

import static dev.weir.datapath.samples.PolicyShapedProgram.identityKey;
import static dev.weir.datapath.samples.PolicyShapedProgram.policyKey;
import static dev.weir.datapath.samples.PolicyShapedProgram.u32;

import dev.weir.datapath.asm.Disassembler;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.samples.PolicyShapedProgram;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.VmProgram;
import dev.weir.datapath.vm.XdpMetadata;
import java.util.List;

/**
 * weir demo --xdp, the quick start before the policy compiler: a policy-shaped XDP program built with the
 * assembler, its maps filled by hand for a small application, and packets run through it in the
 * interpreter, the same bytecode the kernel would enforce.
 */
final class XdpDemo {
    private XdpDemo() {}

    record Sample(String what, byte[] frame) {}

    static int run(boolean disassemble) {
        List<MemoryMap> maps = PolicyShapedProgram.maps(1024, 1024).stream().map(s -> MemoryMap.create(s, 1)).toList();
        BpfMap identities = maps.get(0), policy = maps.get(1);
        identities.update(identityKey(Frames.ip("10.1.0.0"), 16), u32(100), BpfMap.ANY); // frontend
        identities.update(identityKey(Frames.ip("10.2.0.0"), 16), u32(200), BpfMap.ANY); // backend
        identities.update(identityKey(Frames.ip("10.9.0.0"), 24), u32(300), BpfMap.ANY); // monitoring
        policy.update(policyKey(100, 8080, Frames.TCP), u32(1), BpfMap.ANY);  // frontend -> :8080/TCP
        policy.update(policyKey(300, 0, Frames.TCP), u32(2), BpfMap.ANY);     // monitoring -> any TCP port

        Bytecode bytecode = PolicyShapedProgram.xdp().encode(PolicyShapedProgram::mapIndex);
        VmProgram program = VmProgram.load("policy_ingress", ProgramType.XDP, bytecode, maps);
        System.out.printf("Program policy_ingress (XDP): %d instructions, %d bytes of bytecode; maps: %s%n%n",
                bytecode.slotCount(), bytecode.length(), maps.stream().map(m -> m.spec().name()).toList());
        if (disassemble) {
            System.out.println(Disassembler.disassemble(bytecode));
        }

        int backend = Frames.ip("10.2.0.10");
        List<Sample> samples = List.of(
                new Sample("frontend 10.1.3.4 -> backend TCP 8080", Frames.tcp(Frames.ip("10.1.3.4"), backend, 40000, 8080, Frames.TCP_SYN)),
                new Sample("frontend 10.1.3.4 -> backend TCP 22", Frames.tcp(Frames.ip("10.1.3.4"), backend, 40000, 22, Frames.TCP_SYN)),
                new Sample("monitoring 10.9.0.7 -> backend TCP 9100", Frames.tcp(Frames.ip("10.9.0.7"), backend, 41000, 9100, Frames.TCP_SYN)),
                new Sample("world 203.0.113.9 -> backend TCP 8080", Frames.tcp(Frames.ip("203.0.113.9"), backend, 50000, 8080, Frames.TCP_SYN)),
                new Sample("backend 10.2.0.11 -> backend UDP 53", Frames.udp(Frames.ip("10.2.0.11"), backend, 5353, 53, new byte[8])));
        Interpreter vm = new Interpreter();
        System.out.printf("%-45s %-8s %s%n", "packet", "verdict", "instructions");
        for (Sample s : samples) {
            switch (vm.runXdp(program, s.frame(), XdpMetadata.DEFAULT)) {
                case RunResult.Returned r -> System.out.printf("%-45s %-8s %d%n", s.what(),
                        r.value() == PolicyShapedProgram.XDP_PASS ? "PASS" : "DROP", r.instructions());
                case RunResult.Faulted f -> System.out.printf("%-45s FAULT    %s%n", s.what(), f.fault().describe());
            }
        }
        System.out.println("\nNext: bin/weir vm conformance ../shared/conformance/bpf-conformance   (the eBPF ISA corpus)");
        return 0;
    }
}

