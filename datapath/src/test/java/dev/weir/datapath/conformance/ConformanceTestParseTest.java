package dev.weir.datapath.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.asm.TextAssembler;
import dev.weir.datapath.conformance.ConformanceTest.Program;
import dev.weir.datapath.conformance.ConformanceTest.Section;
import dev.weir.datapath.isa.Bytecode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceTestParseTest {
    @TempDir
    Path dir;

    private ConformanceTest write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return ConformanceTest.parse(file);
    }

    @Test
    void readsTheSectionsOfATest() throws IOException {
        ConformanceTest test = write("sample.data", """
                # Copyright header, ignored
                # -- not a section either
                -- asm
                mov %r0, 1 # one
                exit

                -- mem
                00 01 02 03
                aa bb
                -- result
                0x1
                -- c
                int main() { return 1; }
                -- no jit
                reason given here
                """);
        assertThat(test.name()).isEqualTo("sample");
        assertThat(test.sections()).extracting(Section::name).containsExactly("asm", "mem", "result", "c", "no jit");
        assertThat(test.sections().getFirst()).isEqualTo(
                new Section("asm", Optional.empty(), "mov %r0, 1 # one\nexit", 3));
        assertThat(test.assembly().orElseThrow().firstLine()).isEqualTo(4);
        assertThat(test.memory()).containsExactly(0x00, 0x01, 0x02, 0x03, 0xaa, 0xbb);
        assertThat(test.expectedResult()).isEqualTo(OptionalLong.of(1));
        assertThat(test.expectedError()).isEmpty();
        assertThat(test.errorIsPattern()).isFalse();
        assertThat(test.hasSection("no jit")).isTrue();
        assertThat(test.section("c").orElseThrow().body()).isEqualTo("int main() { return 1; }");
        assertThat(test.program()).isEqualTo(new Program.Loaded(Bytecode.ofSlots(0x00000001000000b7L, 0x95L)));
    }

    @Test
    void resultIsUnsignedHexOrDecimal() throws IOException {
        assertThat(write("a.data", "-- asm\nexit\n-- result\n0xffffffffffffffff\n").expectedResult())
                .isEqualTo(OptionalLong.of(-1));
        assertThat(write("b.data", "-- asm\nexit\n-- result\n0\n").expectedResult()).isEqualTo(OptionalLong.of(0));
        assertThat(write("c.data", "-- asm\nexit\n-- result\n42\n").expectedResult()).isEqualTo(OptionalLong.of(42));
        assertThat(write("d.data", "-- asm\nexit\n-- result\n\n-- c\n").expectedResult()).isEmpty();
        assertThat(write("e.data", "-- asm\nexit\n").expectedResult()).isEmpty();
    }

    @Test
    void rawSlotsMayBeNumbersOrBytes() throws IOException {
        ConformanceTest numbers = write("n.data", "-- raw\n0x0000000100000007\n0x0000000000000095\n");
        ConformanceTest bytes = write("b.data", "-- raw\n07 00 00 00 01 00 00 00\n95 00 00 00 00 00 00 00\n");
        assertThat(numbers.raw()).isEqualTo(bytes.raw());
        assertThat(bytes.raw().orElseThrow().opcode(0)).isEqualTo(0x07);
        assertThat(bytes.raw().orElseThrow().imm(0)).isEqualTo(1);
    }

    @Test
    void rawWinsOverAssembly() throws IOException {
        ConformanceTest test = write("both.data", "-- asm\nmov %r0, 2\nexit\n-- raw\n0x0000000000000095\n");
        assertThat(test.program()).isEqualTo(new Program.Loaded(Bytecode.ofSlots(0x95)));
        assertThat(test.assembly()).isPresent();
    }

    @Test
    void errorsMayBeEmptyTextOrPattern() throws IOException {
        ConformanceTest empty = write("e.data", "-- raw\n0x0000000000000095\n-- error\n");
        assertThat(empty.expectedError()).contains("");
        assertThat(empty.errorIsPattern()).isFalse();

        ConformanceTest text = write("t.data", "-- asm\nexit\n-- error\nInvalid number of operands for lock");
        assertThat(text.expectedError()).contains("Invalid number of operands for lock");

        ConformanceTest pattern = write("p.data", "-- asm\nexit\n-- error pattern\nat PC 2, addr .*, size 1\n-- result\n0x1\n");
        assertThat(pattern.expectedError()).contains("at PC 2, addr .*, size 1");
        assertThat(pattern.errorIsPattern()).isTrue();
        assertThat(pattern.expectedResult()).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void keepsUnknownSectionsAndIgnoresWhatComesBeforeTheFirst() throws IOException {
        ConformanceTest test = write("u.data", "# only comments\n-- asm\n-- Unknown directive\n-- error\nInvalid register");
        assertThat(test.sections()).extracting(Section::name).containsExactly("asm", "Unknown directive", "error");
        assertThat(test.program()).isEqualTo(new Program.Loaded(Bytecode.ofSlots()));
        assertThat(write("none.data", "# header\n-- result\n0x0\n").program()).isEqualTo(new Program.Missing());
        assertThat(write("empty.data", "").sections()).isEmpty();
    }

    @Test
    void readsIncludedAssemblyAndMemoryFromSiblingFiles() throws IOException {
        Files.writeString(dir.resolve("prog.asm"), "mov %r0, 7\nexit\n");
        Files.writeString(dir.resolve("pkt.hex"), """
                0x0000:  0026 622f 4787
                0x0006:  0800
                """);
        ConformanceTest test = write("inc.data", "-- asm @ prog.asm\n-- mem @ pkt.hex\n-- result\n0x7\n");
        assertThat(test.sections().getFirst().include()).contains("prog.asm");
        assertThat(test.assembly().orElseThrow().file()).isEqualTo(dir.resolve("prog.asm"));
        assertThat(test.memory()).isEqualTo(HexFormat.of().parseHex("0026622f47870800"));
        assertThat(test.program()).isEqualTo(new Program.Loaded(TextAssembler.assemble("mov %r0, 7\nexit")));
    }

    @Test
    void assemblyErrorsAreAResultThatPointsIntoTheFile() throws IOException {
        ConformanceTest test = write("bad.data", "# header\n-- asm\nmov %r0, 1\nor %r0, %r50\nexit\n");
        assertThat(test.program()).isInstanceOfSatisfying(Program.Invalid.class, invalid -> {
            assertThat(invalid.error().line()).isEqualTo(4);
            assertThat(invalid.error().getMessage()).startsWith("bad.data:4: Invalid register '%r50'");
        });

        Files.writeString(dir.resolve("bad.asm"), "exit\nfrob\n");
        assertThat(write("inc.data", "-- asm @ bad.asm\n").program()).isInstanceOfSatisfying(Program.Invalid.class,
                invalid -> assertThat(invalid.error().getMessage()).startsWith("bad.asm:2: Invalid mnemonic 'frob'"));
    }

    @Test
    void malformedSectionsNameFileAndLine() throws IOException {
        assertThatThrownBy(() -> write("m.data", "-- asm\nexit\n-- mem\n00 zz\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m.data:4").hasMessageContaining("zz");
        assertThatThrownBy(() -> write("r.data", "-- raw\n07 00 00\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r.data:2");
        assertThatThrownBy(() -> write("d.data", "-- asm\nexit\n-- asm\nexit\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d.data:3: second '-- asm'");
        assertThatThrownBy(() -> write("x.data", "-- result\n0x1\n0x2\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one result");
        assertThatThrownBy(() -> write("i.data", "-- asm @ missing.asm\n")).isInstanceOf(IOException.class);
    }

    @Test
    void readsTheCorpusIncludes() {
        ConformanceTest sack = Corpus.parse(Corpus.file("ubpf/tcp-sack/match.data"));
        assertThat(sack.memory()).hasSize(78).startsWith(0x00, 0x26, 0x62, 0x2f);
        assertThat(sack.expectedResult()).isEqualTo(OptionalLong.of(1));
        assertThat(sack.program()).isInstanceOf(Program.Loaded.class);

        ConformanceTest port80 = Corpus.parse(Corpus.file("ubpf/tcp-port-80/nomatch-proto.data"));
        assertThat(port80.assembly().orElseThrow().file().getFileName().toString()).isEqualTo("tcp-port-80.asm");
        assertThat(port80.description()).contains("Wrong IP protocol");
        assertThat(port80.memory()).hasSize(100);
    }

    @Test
    void readsCorpusErrorSectionsAndFlags() {
        ConformanceTest overflow = Corpus.parse(Corpus.file("ubpf/errors/err-address-overflow-offset.data"));
        assertThat(overflow.expectedError()).contains("uBPF error: address overflow in store at PC 1");
        assertThat(overflow.errorIsPattern()).isTrue();
        assertThat(overflow.hasSection("no jit")).isTrue();

        ConformanceTest reload = Corpus.parse(Corpus.file("ubpf/reload.data"));
        assertThat(reload.hasSection("reload")).isTrue();
        assertThat(reload.expectedError().orElseThrow()).startsWith("Failed to load code");

        ConformanceTest unused = Corpus.parse(Corpus.file("bpf-conformance-negative/unused-call-dst.data"));
        assertThat(unused.raw().orElseThrow().slotCount()).isEqualTo(2);
        assertThat(unused.expectedError()).contains("");
    }

    @Test
    void everyCorpusFileParses() {
        assertThat(Corpus.allFiles()).hasSizeGreaterThan(400).allSatisfy(file -> {
            ConformanceTest test = Corpus.parse(file);
            assertThat(test.name()).isNotEmpty();
            assertThat(test.program()).isNotNull();
        });
    }
}
