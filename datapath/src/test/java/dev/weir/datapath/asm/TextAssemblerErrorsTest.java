package dev.weir.datapath.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.conformance.ConformanceTest;
import dev.weir.datapath.conformance.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Assembly errors name the line, its text and the problem, in the corpus's own wording. */
class TextAssemblerErrorsTest {

    /** bpf-conformance-negative files whose program must not assemble: file, line, expected problem. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid_imm32_dec_range | 5 | mov32 %r0, 2147483648     | Immediate 2147483648 out of 32-bit range
            invalid_imm32_hex_range | 5 | mov32 %r0, 0x100000000    | Immediate 0x100000000 out of 32-bit range
            invalid_label           | 4 | ja NOT_A_LABEL            | Invalid label 'NOT_A_LABEL'
            invalid_lock            | 4 | lock or [%r10-8]          | Invalid number of operands for lock
            invalid_lock2           | 4 | lock                      | Invalid number of operands for lock
            invalid_mnemonic        | 5 | ldxq %r0, %r1             | Invalid mnemonic 'ldxq'
            invalid_offset          | 4 | ldxb %r0, %r1             | Expected a memory operand like [%r1+8], found '%r1'
            invalid_offset_range    | 5 | ldxb %r0, [%r1+0x10000]   | Offset +0x10000 out of 16-bit signed range
            invalid_operand_count   | 4 | lddw %r0                  | Invalid number of operands for lddw
            invalid_register        | 4 | or %r0, %r50              | Invalid register '%r50'
            """)
    void negativeCorpusProgramsDoNotAssemble(String name, int line, String text, String problem) {
        ConformanceTest test = Corpus.parse(Corpus.file("bpf-conformance-negative/" + name + ".data"));
        ConformanceTest.Program program = test.program();
        assertThat(program).isInstanceOf(ConformanceTest.Program.Invalid.class);
        AssemblyException error = ((ConformanceTest.Program.Invalid) program).error();
        assertThat(error.line()).isEqualTo(line);
        assertThat(error.lineText()).isEqualTo(text);
        assertThat(error.problem()).contains(problem);
        assertThat(error.source()).contains(name + ".data");
        assertThat(error.getMessage()).startsWith(name + ".data:" + line + ": ").contains(problem, text);
        test.expectedError().ifPresent(expected -> assertThat(error.getMessage()).contains(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            frob %r1                      | Invalid mnemonic 'frob'
            mov %r11, 1                   | Invalid register '%r11'
            mov %r1, %x2                  | Invalid register '%x2'
            mov r1, 2                     | Expected a register (%r0 to %r10), found 'r1'
            mov %r1                       | Invalid number of operands for mov: expected 2
            mov %r1, 2, 3                 | Invalid number of operands for mov: expected 2
            mov %r1,                      | Empty operand
            neg %r1, 2                    | Invalid number of operands for neg: expected 1
            exit %r0                      | Invalid number of operands for exit: expected 0
            movsx3232 %r1, %r2            | Invalid mnemonic 'movsx3232'
            movsx864 %r1, 5               | Expected a register (%r0 to %r10), found '5'
            mov32 %r0, -2147483649        | Immediate -2147483649 out of 32-bit range
            add %r0, 0x1ffffffff          | Immediate 0x1ffffffff out of 32-bit range
            add %r0, 12abc                | Invalid immediate '12abc'
            lddw %r0, 18446744073709551616 | Immediate 18446744073709551616 out of 64-bit range
            lddw %r0, -0x8000000000000001 | out of 64-bit range
            ldxw %r0, [%r1+32768]         | Offset +32768 out of 16-bit signed range
            ldxw %r0, [%r1-32769]         | Offset -32769 out of 16-bit signed range
            ldxw %r0, [%r1+x]             | Invalid offset '+x'
            ldxw %r0, [%r99]              | Invalid register '%r99'
            stw [%r1], %r2                | Invalid immediate '%r2'
            stxw [%r1], 2                 | Expected a register (%r0 to %r10), found '2'
            ja +32768                     | Jump offset +32768 out of 16-bit signed range
            jeq %r1, 0, 5                 | Invalid jump target '5': expected a label or +N/-N
            ja32 +2147483648              | Jump offset +2147483648 out of 32-bit signed range
            call                          | Invalid number of operands for call
            call local                    | Invalid number of operands for call local
            call 1, 2                     | Invalid number of operands for call
            lock fetch                    | Invalid number of operands for lock
            lock fetch xchg [%r1], %r2    | Invalid atomic operation 'fetch xchg'
            lock sub [%r1], %r2           | Invalid atomic operation 'sub'
            lock add [%r1], 2             | Expected a register (%r0 to %r10), found '2'
            lddw %r1, map[fd:x]           | Invalid immediate 'x'
            """)
    void reportsWhatIsWrong(String line, String problem) {
        assertThatThrownBy(() -> TextAssembler.parse("mov %r0, 0\n" + line + "\nexit"))
                .isInstanceOfSatisfying(AssemblyException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.lineText()).isEqualTo(line.strip());
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).isEqualTo("line 2: " + e.problem() + " in `" + line.strip() + "`");
                });
    }

    @Test
    void undefinedLabelIsReportedWhereItIsUsed() {
        assertThatThrownBy(() -> TextAssembler.parse("mov %r0, 0\n\njne %r0, 1, nowhere # far\nexit"))
                .isInstanceOfSatisfying(AssemblyException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.lineText()).isEqualTo("jne %r0, 1, nowhere # far");
                    assertThat(e.problem()).isEqualTo("Invalid label 'nowhere': not defined");
                });
    }

    @Test
    void duplicateLabel() {
        assertThatThrownBy(() -> TextAssembler.parse("a:\nexit\na:\nexit"))
                .isInstanceOfSatisfying(AssemblyException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.problem()).isEqualTo("Duplicate label 'a' (first defined at line 1)");
                });
    }

    @Test
    void linesAreCountedFromTheGivenFirstLine() {
        assertThatThrownBy(() -> TextAssembler.parse("exit\nbogus", "prog.asm", 7))
                .isInstanceOfSatisfying(AssemblyException.class, e -> {
                    assertThat(e.line()).isEqualTo(8);
                    assertThat(e.getMessage()).startsWith("prog.asm:8: Invalid mnemonic 'bogus'");
                });
    }

    @Test
    void aLabelJumpTooFarForSixteenBitsFailsAtItsLine() {
        String program = "mov %r0, 0\nja far\n" + "mov %r0, 1\n".repeat(40_000) + "far:\nexit\n";
        assertThat(TextAssembler.parse(program).instructions()).hasSize(40_003);
        assertThatThrownBy(() -> TextAssembler.assemble(program))
                .isInstanceOfSatisfying(AssemblyException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).contains("more than a 16-bit offset holds");
                });
        assertThat(TextAssembler.assemble(program.replace("ja far", "ja32 far")).slotCount()).isEqualTo(40_003);
    }

    @Test
    void symbolicMapsCannotBeEncodedWithoutAResolver() {
        assertThatThrownBy(() -> TextAssembler.assemble("mov %r0, 0\nlddw %r1, map[flows]\nexit"))
                .isInstanceOfSatisfying(AssemblyException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
