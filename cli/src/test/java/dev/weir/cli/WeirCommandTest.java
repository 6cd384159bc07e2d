package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Cli.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line as a user (or the bpf_conformance runner) drives it. */
class WeirCommandTest {
    private static Run run(String stdin, String... args) {
        return Cli.runWithInput(stdin, args);
    }

    @Test
    void pluginPrintsR0InHex() {
        // mov r0, 42; exit
        Run r = run("b7 00 00 00 2a 00 00 00  95 00 00 00 00 00 00 00", "vm", "plugin");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).isEqualTo("2a");
    }

    @Test
    void pluginReadsMemoryFromItsArgument() {
        // ldxh r0, [r1+2]; exit
        Run r = run("69 10 02 00 00 00 00 00 95 00 00 00 00 00 00 00", "vm", "plugin", "aa bb cc dd");
        assertThat(r.out().strip()).isEqualTo("ddcc");
    }

    @Test
    void pluginFailsWithAMessageAndNonZeroStatus() {
        // ldxb r0, [r1+9] on 2 bytes of memory
        Run r = run("71 10 09 00 00 00 00 00 95 00 00 00 00 00 00 00", "vm", "plugin", "aabb");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("out of bounds load").contains("pc 0");
        assertThat(r.out()).isBlank();
        Run bad = run("ff 00 00 00 00 00 00 00", "vm", "plugin");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err()).contains("unknown opcode");
    }

    @Test
    void conformanceEndsWithTheSummaryLine() {
        Path corpus = Path.of(System.getProperty("weir.shared.dir", "../../shared"), "conformance", "bpf-conformance");
        Run r = run("", "vm", "conformance", corpus.toString());
        assertThat(r.status()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1]).matches("3\\d\\d passed, 0 failed");
    }

    @Test
    void xdpDemoShowsVerdictsForItsSamplePackets() {
        Run r = run("", "demo", "--xdp");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("frontend 10\\.1\\.3\\.4 -> backend TCP 8080 +PASS")
                .containsPattern("frontend 10\\.1\\.3\\.4 -> backend TCP 22 +DROP")
                .containsPattern("monitoring .* TCP 9100 +PASS")
                .containsPattern("world .* TCP 8080 +DROP");
    }

    @Test
    void unknownCommandsAreOneLineErrors() {
        Run r = run("", "vm", "conformance", "/no/such/folder");
        assertThat(r.status()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("weir: /no/such/folder is not a folder");
    }

    @Test
    void benchReportsBothEnginesWhereTheKernelIsUsable() {
        Run r = run("", "bench", "--seconds", "0.05", "--repeat", "1000");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("exact port hit .* PASS +[0-9.]+ +(\\d+|n/a)")
                .containsPattern("denied .* DROP");
        if (System.getenv("CI") != null) assertThat(r.out()).doesNotContain("n/a"); // CI has bpf: both engines run
    }

    @Test
    void differentialComparesRandomProgramsWhenBpfIsUsable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.weir.datapath.kernel.Bpf.unavailableReason().isEmpty()
                || System.getenv("CI") != null, "needs bpf privileges");
        Run r = run("", "vm", "differential", "--programs", "50");
        assertThat(r.out().strip()).endsWith("50 passed, 0 failed");
    }

    @Test
    void aMissingFileIsNamedAsSuch() {
        Run r = run("", "asm", "/no/such/file.s");
        assertThat(r.status()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("weir: no such file: /no/such/file.s");
    }
}
