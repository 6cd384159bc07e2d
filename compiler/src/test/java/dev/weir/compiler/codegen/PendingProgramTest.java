package dev.weir.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.SkbMetadata;
import dev.weir.datapath.vm.VmProgram;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pending programs in the interpreter: only the node's addresses pass, on the right side of the packet. */
class PendingProgramTest {

    static long run(ProgramSpec spec, byte[] frame) {
        VmProgram program = VmProgram.load(spec.name(), ProgramType.SCHED_CLS, spec.code());
        return new Interpreter().runTc(program, frame, SkbMetadata.forPacket(frame, 7)).valueOrThrow();
    }

    @Test
    void onlyTheNodesAddressesPassIncludingOnesWhoseLastByteIsHigh() {
        int node = Frames.ip("10.0.0.200"), other = Frames.ip("10.0.0.7"), pod = Frames.ip("10.244.1.5");
        var fromPod = PendingProgram.spec(true, List.of(Frames.ip("192.168.1.1"), node));
        var toPod = PendingProgram.spec(false, List.of(Frames.ip("192.168.1.1"), node));
        assertThat(run(fromPod, Frames.tcp(pod, node, 40000, 10250, Frames.TCP_ACK))).isZero();
        assertThat(run(fromPod, Frames.tcp(pod, other, 40000, 80, Frames.TCP_SYN))).isEqualTo(2);
        assertThat(run(fromPod, Frames.tcp(node, pod, 40000, 80, Frames.TCP_SYN))).as("the source does not count from the pod").isEqualTo(2);
        assertThat(run(toPod, Frames.tcp(node, pod, 40000, 8080, Frames.TCP_SYN))).isZero();
        assertThat(run(toPod, Frames.tcp(other, pod, 40000, 8080, Frames.TCP_SYN))).isEqualTo(2);
        assertThat(run(PendingProgram.spec(false, List.of()), Frames.tcp(node, pod, 40000, 8080, Frames.TCP_SYN))).isEqualTo(2);
    }
}
