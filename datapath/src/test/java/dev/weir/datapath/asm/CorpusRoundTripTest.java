package dev.weir.datapath.asm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.conformance.ConformanceTest;
import dev.weir.datapath.conformance.Corpus;
import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every program of the positive corpora assembles, decodes back, and survives both disassemblers. */
class CorpusRoundTripTest {
    private static final Pattern BPFTOOL_LINE = Pattern.compile(" *(\\d+): \\(([0-9a-f]{2})\\) (\\S.*)");

    static Stream<Arguments> positiveFiles() {
        return Corpus.positiveFiles().stream().map(f -> Arguments.of(Corpus.displayName(f), f));
    }

    static Stream<Arguments> filesWithAsmAndRaw() {
        return Corpus.allFiles().stream()
                .map(Corpus::parse)
                .filter(t -> t.assembly().isPresent() && t.raw().isPresent())
                .map(t -> Arguments.of(Corpus.displayName(t.file()), t));
    }

    @Test
    void corpusIsWhereTheBuildSaysItIs() {
        assertThat(Corpus.positiveFiles()).hasSizeGreaterThan(300);
        assertThat(filesWithAsmAndRaw()).hasSizeGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesWithAsmAndRaw")
    void assemblyEncodesToTheRawSlots(String name, ConformanceTest test) {
        ConformanceTest.SourceText asm = test.assembly().orElseThrow();
        assertThat(TextAssembler.assemble(asm.text()).toHex()).isEqualTo(test.raw().orElseThrow().toHex());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positiveFiles")
    void assemblesAndRoundTrips(String name, Path file) {
        ConformanceTest test = Corpus.parse(file);
        ConformanceTest.SourceText asm = test.assembly().orElseThrow();
        Code code = TextAssembler.parse(asm.text());
        Bytecode bytes = code.encode();
        assertThat(test.program()).isEqualTo(new ConformanceTest.Program.Loaded(test.raw().orElse(bytes)));

        // decode(encode(x)) == x, once labels are resolved to the offsets the bytecode holds
        Code decoded = Encoding.decode(bytes);
        assertThat(decoded.instructions()).containsExactlyElementsOf(withRelativeTargets(code));
        assertThat(decoded.encode()).isEqualTo(bytes);

        // corpus syntax round trip, from the symbolic and from the decoded form
        assertThat(TextAssembler.assemble(Disassembler.toAssembly(code))).isEqualTo(bytes);
        assertThat(TextAssembler.assemble(Disassembler.toAssembly(bytes))).isEqualTo(bytes);

        // bpftool style: one well-formed line per instruction, at its slot, with its opcode
        List<String> lines = Disassembler.lines(decoded);
        assertThat(lines).hasSize(decoded.instructions().size());
        int[] at = decoded.slotPositions();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = BPFTOOL_LINE.matcher(lines.get(i));
            assertThat(m.matches()).as("bpftool line '%s'", lines.get(i)).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(at[i]);
            assertThat(Integer.parseInt(m.group(2), 16)).isEqualTo(bytes.opcode(at[i]));
            assertThat(m.group(3)).doesNotContain("null", "BUG");
        }
        assertThat(Disassembler.disassemble(code, true)).isNotBlank();
    }

    /** The instructions with every label target replaced by its slot offset, as decoding yields them. */
    static List<Instruction> withRelativeTargets(Code code) {
        int[] at = code.slotPositions();
        List<Instruction> out = new ArrayList<>();
        for (int i = 0; i < code.instructions().size(); i++) {
            int next = at[i] + 1;
            out.add(switch (code.instructions().get(i)) {
                case Jump(var op, var wide, var dst, var src, var t) -> new Jump(op, wide, dst, src, relative(code, at, next, t));
                case Goto(var t, var ja32) -> new Goto(relative(code, at, next, t), ja32);
                case CallLocal(var t) -> new CallLocal(relative(code, at, next, t));
                case LoadImm64(var dst, Imm64.Function(var t)) -> new LoadImm64(dst, new Imm64.Function(relative(code, at, next, t)));
                case Instruction other -> other;
            });
        }
        return out;
    }

    private static Target relative(Code code, int[] at, int next, Target target) {
        return switch (target) {
            case Target.Relative r -> r;
            case Target.Label(String name) -> Target.relative(at[code.labels().get(name)] - next);
        };
    }
}
