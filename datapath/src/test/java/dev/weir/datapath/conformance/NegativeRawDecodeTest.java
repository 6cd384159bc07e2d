package dev.weir.datapath.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.BytecodeException;
import dev.weir.datapath.isa.Encoding;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict decoder refuses every instruction that sets a field its operation does not use. */
class NegativeRawDecodeTest {

    static Stream<Arguments> unusedFieldFiles() {
        return Corpus.dataFiles("bpf-conformance-negative").stream()
                .filter(f -> f.getFileName().toString().startsWith("unused-"))
                .map(f -> Arguments.of(Corpus.displayName(f), f));
    }

    @Test
    void thereAreManyOfThem() {
        assertThat(unusedFieldFiles()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusedFieldFiles")
    void decoderRefusesTheFirstInstruction(String name, Path file) {
        ConformanceTest test = Corpus.parse(file);
        Bytecode raw = test.raw().orElseThrow();
        assertThat(test.expectedError()).isPresent();
        assertThatThrownBy(() -> Encoding.decode(raw))
                .isInstanceOfSatisfying(BytecodeException.class, e -> assertThat(e.pc()).isZero());
        // the exit that follows is fine on its own
        assertThat(Encoding.decodeAt(raw, 1)).isEqualTo(new dev.weir.datapath.isa.Instruction.Exit());
    }
}
