package dev.weir.datapath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Programs the verifier refuses come back as {@link VerifierException}s that say why. */
@KernelTest
class VerifierRejectionTest {

    @Test
    void uninitialisedRegister() {
        assertThatThrownBy(() -> KernelProgram.load(TestPrograms.readsUninitialisedRegister()))
                .isInstanceOfSatisfying(VerifierException.class, e -> {
                    assertThat(e.command()).isEqualTo(BpfCommand.PROG_LOAD);
                    assertThat(e.errnoName()).isEqualTo("EACCES");
                    assertThat(e.programName()).isEqualTo("bad_uninit");
                    assertThat(e.log()).contains("R5 !read_ok");
                    assertThat(e.getMessage())
                            .startsWith("BPF_PROG_LOAD (program 'bad_uninit') failed: EACCES (13)")
                            .contains("R5 !read_ok");
                });
    }

    @Test
    void packetReadWithoutBoundsCheck() {
        assertThatThrownBy(() -> KernelProgram.load(TestPrograms.readsPacketUnchecked()))
                .isInstanceOfSatisfying(VerifierException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EACCES");
                    assertThat(e.programName()).isEqualTo("bad_packet");
                    assertThat(e.log()).contains("invalid access to packet");
                });
    }

    @Test
    void verboseLogOfARefusedProgramKeepsTheComplaint() {
        ProgramSpec spec = TestPrograms.readsUninitialisedRegister().withVerifierLog(VerifierLog.VERBOSE);

        assertThatThrownBy(() -> KernelProgram.load(spec))
                .isInstanceOfSatisfying(VerifierException.class, e -> assertThat(e.log()).contains("R5 !read_ok"));
    }
}
