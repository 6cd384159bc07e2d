package dev.weir.compiler.codegen;

import static dev.weir.datapath.asm.Asm.add64;
import static dev.weir.datapath.asm.Asm.exit;
import static dev.weir.datapath.asm.Asm.jeq;
import static dev.weir.datapath.asm.Asm.jgt;
import static dev.weir.datapath.asm.Asm.jne;
import static dev.weir.datapath.asm.Asm.ldxh;
import static dev.weir.datapath.asm.Asm.ldxw;
import static dev.weir.datapath.asm.Asm.mov32;
import static dev.weir.datapath.asm.Asm.mov64;
import static dev.weir.datapath.isa.Register.R0;
import static dev.weir.datapath.isa.Register.R2;
import static dev.weir.datapath.isa.Register.R3;
import static dev.weir.datapath.isa.Register.R4;
import static dev.weir.datapath.isa.Register.R5;

import dev.weir.compiler.abi.Skb;
import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.vm.ProgramType;
import java.util.List;

/**
 * What a pod runs until its policy is published (fail closed; the agent loads it for its node's addresses): it drops everything but IPv4 traffic with
 * the node's own addresses, so the kubelet's probes reach a new pod at once while no other pod or outside
 * address does. Two small programs, per hook: from the pod the destination is checked, to it the source.
 */
public final class PendingProgram {
    private static final int ETH_P_IP_LE = 0x0008;

    private PendingProgram() {}

    /**
     * @param fromPod        the hook of packets leaving the pod (else arriving at it)
     * @param nodeAddresses  the node's IPv4 addresses, host order (none: drop everything)
     */
    public static ProgramSpec spec(boolean fromPod, List<Integer> nodeAddresses) {
        var a = new Assembler();
        String name = fromPod ? "weir_pending_e" : "weir_pending_i";
        if (nodeAddresses.isEmpty()) {
            // Nothing to let through (the kernel refuses unreachable code, so no pass branch at all).
            a.add(mov64(R0, Skb.TC_ACT_SHOT), exit());
            return ProgramSpec.of(name, ProgramType.SCHED_CLS, a.build().encode());
        }
        a.add(ldxw(R2, dev.weir.datapath.isa.Register.R1, Skb.DATA),
              ldxw(R3, dev.weir.datapath.isa.Register.R1, Skb.DATA_END),
              mov64(R4, R2), add64(R4, 34),
              jgt(R4, R3, "drop"),
              ldxh(R4, R2, 12),
              jne(R4, ETH_P_IP_LE, "drop"),
              ldxw(R4, R2, fromPod ? 30 : 26));                  // the peer's address, network order
        for (int address : nodeAddresses) {
            // mov32 zero-extends: a 64-bit compare with a sign-extended immediate would miss addresses
            // whose last byte is 128 or more.
            a.add(mov32(R5, Integer.reverseBytes(address)), jeq(R4, R5, "pass"));
        }
        a.label("drop").add(mov64(R0, Skb.TC_ACT_SHOT), exit());
        a.label("pass").add(mov64(R0, Skb.TC_ACT_OK), exit());
        return ProgramSpec.of(name, ProgramType.SCHED_CLS, a.build().encode());
    }
}
