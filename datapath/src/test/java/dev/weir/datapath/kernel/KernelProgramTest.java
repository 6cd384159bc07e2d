package dev.weir.datapath.kernel;

import static dev.weir.datapath.kernel.LittleEndian.readU64;
import static dev.weir.datapath.kernel.LittleEndian.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.vm.ProgramType;
import org.junit.jupiter.api.Test;

/** Loading hand-assembled programs and running them with BPF_PROG_TEST_RUN. */
@KernelTest
class KernelProgramTest {

    @Test
    void xdpProgramRunsRewritesThePacketAndCountsInItsMap() {
        try (KernelMap counters = KernelMap.create(TestPrograms.counterSpec());
             KernelProgram program = KernelProgram.load(TestPrograms.xdpCounter(), counters)) {
            byte[] frame = TestPrograms.udpFrame();

            TestRun run = program.testRun(TestRunRequest.of(frame));

            assertThat(run.retval()).isEqualTo(TestPrograms.XDP_PASS);
            byte[] expected = frame.clone();
            expected[0] = TestPrograms.MARKER;
            assertThat(run.dataOut()).isEqualTo(expected);
            assertThat(counters.lookup(u32(0))).hasValueSatisfying(v -> assertThat(readU64(v, 0)).isEqualTo(1));
        }
    }

    @Test
    void repeatedRunsReportTheMeanDuration() {
        try (KernelMap counters = KernelMap.create(TestPrograms.counterSpec());
             KernelProgram program = KernelProgram.load(TestPrograms.xdpCounter(), counters)) {

            TestRun run = program.testRun(TestRunRequest.of(TestPrograms.udpFrame()).withRepeat(10_000));

            assertThat(run.durationNs()).isPositive();
            assertThat(counters.lookup(u32(0))).hasValueSatisfying(v -> assertThat(readU64(v, 0)).isEqualTo(10_000));
        }
    }

    @Test
    void tcProgramSetsTheMarkInCtxOutAndCountsByLength() {
        try (KernelMap lengths = KernelMap.create(TestPrograms.lengthsSpec());
             KernelProgram program = KernelProgram.load(TestPrograms.tcMarkAndCount(), lengths)) {
            byte[] frame = TestPrograms.udpFrame();

            TestRun run = program.testRun(TestRunRequest.of(frame).withContext(RunContexts.skBuff(7, 3)).withRepeat(3));

            assertThat(run.retval()).isEqualTo(TestPrograms.TC_ACT_SHOT);
            assertThat(run.dataOut()).isEqualTo(frame);
            assertThat(run.contextOut()).hasSize(RunContexts.SK_BUFF_SIZE);
            assertThat(RunContexts.skBuffMark(run.contextOut())).isEqualTo(TestPrograms.TC_MARK);
            assertThat(lengths.lookup(u32(frame.length)))
                    .hasValueSatisfying(v -> assertThat(readU64(v, 0)).isEqualTo(3));
        }
    }

    @Test
    void retvalIsTheKernelsUnsigned32Bits() {
        try (KernelProgram program = KernelProgram.load(TestPrograms.tcReturning("tc_minus_one", -1))) {
            assertThat(program.testRun(TestRunRequest.of(TestPrograms.udpFrame())).retval()).isEqualTo(0xffff_ffffL);
        }
    }

    @Test
    void xdpContextInReachesTheProgram() {
        try (KernelProgram program = KernelProgram.load(TestPrograms.xdpIngressIfindex())) {
            byte[] frame = TestPrograms.udpFrame();
            int lo = Interfaces.ifindex("lo");

            TestRun run = program.testRun(TestRunRequest.of(frame).withContext(RunContexts.xdpMd(frame.length, lo, 0)));

            assertThat(run.retval()).isEqualTo(lo);
            assertThat(run.contextOut()).hasSize(RunContexts.XDP_MD_SIZE);
        }
    }

    @Test
    void kernelRefusesTestRunsItCannotDo() {
        try (KernelProgram program = KernelProgram.load(TestPrograms.xdpReturning("xdp_pass", 2))) {
            byte[] frame = TestPrograms.udpFrame();
            byte[] withMeta = RunContexts.xdpMd(frame.length, 0, 0);
            withMeta[8] = 4; // data_meta

            assertThatThrownBy(() -> program.testRun(TestRunRequest.of(frame).withContext(withMeta)))
                    .isInstanceOfSatisfying(BpfException.class, e -> {
                        assertThat(e.command()).isEqualTo(BpfCommand.PROG_TEST_RUN);
                        assertThat(e.errnoName()).isEqualTo("EINVAL");
                        assertThat(e.context()).contains("xdp_pass");
                    });
            assertThatThrownBy(() -> TestRunRequest.of(new byte[13])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void tailCallsGoThroughTheProgramArray() {
        try (KernelMap jumps = KernelMap.create(TestPrograms.jumpsSpec());
             KernelProgram caller = KernelProgram.load(TestPrograms.xdpTailCaller(), jumps);
             KernelProgram target = KernelProgram.load(TestPrograms.xdpReturning("xdp_target", TestPrograms.XDP_PASS))) {
            TestRunRequest packet = TestRunRequest.of(TestPrograms.udpFrame());
            assertThat(caller.testRun(packet).retval()).as("empty slot falls through").isEqualTo(TestPrograms.XDP_DROP);

            jumps.setProgram(0, target);
            assertThat(caller.testRun(packet).retval()).isEqualTo(TestPrograms.XDP_PASS);

            jumps.clearProgram(0);
            assertThat(caller.testRun(packet).retval()).isEqualTo(TestPrograms.XDP_DROP);
        }
    }

    @Test
    void infoDescribesTheLoadedProgram() {
        try (KernelMap counters = KernelMap.create(TestPrograms.counterSpec());
             KernelProgram program = KernelProgram.load(TestPrograms.xdpCounter(), counters)) {
            ProgramInfo info = program.info();

            assertThat(info.id()).isPositive();
            assertThat(info.name()).isEqualTo("xdp_counter");
            assertThat(info.type()).isEqualTo(ProgramType.XDP.kernelId);
            assertThat(info.tag()).hasSize(16);
            assertThat(info.xlatedLength()).isPositive();
            assertThat(info.jitedLength()).as("JIT is on").isPositive();
            assertThat(info.mapCount()).isEqualTo(1);
            assertThat(info.verifiedInsns()).isPositive();
        }
    }

    @Test
    void statsLogOnRequest() {
        try (KernelMap counters = KernelMap.create(TestPrograms.counterSpec());
             KernelProgram program = KernelProgram.load(TestPrograms.xdpCounter().withVerifierLog(VerifierLog.STATS), counters);
             KernelProgram quiet = KernelProgram.load(TestPrograms.xdpCounter(), counters)) {
            assertThat(program.verifierLog()).containsPattern("processed \\d+ insns \\(limit 1000000\\)");
            assertThat(quiet.verifierLog()).isEmpty();
        }
    }

    @Test
    void theSameMapIndexMeansWhicheverMapIsPassed() {
        // fd_array binds index 0 at load: two loads of one bytecode count in two different maps.
        try (KernelMap first = KernelMap.create(TestPrograms.counterSpec());
             KernelMap second = KernelMap.create(TestPrograms.counterSpec());
             KernelProgram a = KernelProgram.load(TestPrograms.xdpCounter(), first);
             KernelProgram b = KernelProgram.load(TestPrograms.xdpCounter(), second)) {
            a.testRun(TestRunRequest.of(TestPrograms.udpFrame()).withRepeat(2));
            b.testRun(TestRunRequest.of(TestPrograms.udpFrame()).withRepeat(5));

            assertThat(first.lookup(u32(0))).hasValueSatisfying(v -> assertThat(readU64(v, 0)).isEqualTo(2));
            assertThat(second.lookup(u32(0))).hasValueSatisfying(v -> assertThat(readU64(v, 0)).isEqualTo(5));
        }
    }

    @Test
    void theMapsGivenMustBeTheOnesTheSpecDeclares() {
        try (KernelMap lengths = KernelMap.create(TestPrograms.lengthsSpec())) {
            assertThatThrownBy(() -> KernelProgram.load(TestPrograms.xdpCounter(), lengths))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("program 'xdp_counter': map 0 is").hasMessageContaining("expects");
            assertThatThrownBy(() -> KernelProgram.load(TestPrograms.xdpCounter()))
                    .hasMessageContaining("uses 1 maps but 0 were given");
        }
    }
}
