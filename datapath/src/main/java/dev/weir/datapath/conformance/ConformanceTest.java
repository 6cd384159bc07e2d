package dev.weir.datapath.conformance;

import dev.weir.datapath.asm.AssemblyException;
import dev.weir.datapath.asm.TextAssembler;
import dev.weir.datapath.isa.Bytecode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One {@code .data} test of the bpf_conformance / uBPF corpora: a program ({@code -- asm}, or
 * {@code -- raw} slots, which win when both are present), input memory ({@code -- mem}), and the
 * expected r0 ({@code -- result}) or error ({@code -- error}, {@code -- error pattern}). Every section
 * is kept in {@link #sections()}, known or not ({@code -- c}, {@code -- no jit}, {@code -- reload}...).
 *
 * @param file             the .data file
 * @param sections         all sections in file order
 * @param assembly         the assembly text, read from the sibling file for {@code -- asm @ FILE}
 * @param raw              the raw slots, if the file has them
 * @param memory           the input bytes (empty without {@code -- mem})
 * @param expectedResult   the expected r0 as an unsigned 64-bit number
 * @param expectedError    the expected error text or pattern; present but empty means "some error"
 * @param errorIsPattern   whether {@link #expectedError} is a regular expression ({@code -- error pattern})
 */
public record ConformanceTest(
        Path file,
        List<Section> sections,
        Optional<SourceText> assembly,
        Optional<Bytecode> raw,
        byte[] memory,
        OptionalLong expectedResult,
        Optional<String> expectedError,
        boolean errorIsPattern) {

    public ConformanceTest {
        Objects.requireNonNull(file);
        sections = List.copyOf(sections);
        memory = memory.clone();
    }

    /**
     * Reads a .data file, and the files its {@code @ FILE} sections name, relative to its folder.
     *
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if a section is malformed (not hex, not a number, repeated);
     *         the message names file and line. Assembly errors are not thrown: see {@link #program()}.
     */
    public static ConformanceTest parse(Path file) throws IOException {
        return DataFile.read(file);
    }

    /** One {@code -- NAME [@ FILE]} section: name as written (e.g. "error pattern"), body lines joined by \n. */
    public record Section(String name, Optional<String> include, String body, int line) {}

    /** Text with where it came from, so errors can point into the .data file or the included file. */
    public record SourceText(String text, Path file, int firstLine) {}

    /** The program under test, or why there is none. */
    public sealed interface Program {
        record Loaded(Bytecode bytecode) implements Program {}

        /** The assembly does not assemble: for negative tests, this may be the expected outcome. */
        record Invalid(AssemblyException error) implements Program {}

        /** Neither {@code -- asm} nor {@code -- raw}. */
        record Missing() implements Program {}
    }

    /** The test's name: its file name without {@code .data}. */
    public String name() {
        String fileName = file.getFileName().toString();
        return fileName.endsWith(".data") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    /** The raw slots if present, else the assembled text; assembly errors are a result, not an exception. */
    public Program program() {
        if (raw.isPresent()) return new Program.Loaded(raw.get());
        if (assembly.isEmpty()) return new Program.Missing();
        SourceText source = assembly.get();
        try {
            return new Program.Loaded(TextAssembler.assemble(source.text(), source.file().getFileName().toString(),
                    source.firstLine()));
        } catch (AssemblyException e) {
            return new Program.Invalid(e);
        }
    }

    @Override
    public byte[] memory() {
        return memory.clone();
    }

    /** The first section with this name ("no jit", "description", ...). */
    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public boolean hasSection(String name) {
        return section(name).isPresent();
    }

    public Optional<String> description() {
        return section("description").map(s -> s.body().strip());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConformanceTest t && file.equals(t.file) && sections.equals(t.sections)
                && assembly.equals(t.assembly) && raw.equals(t.raw) && Arrays.equals(memory, t.memory)
                && expectedResult.equals(t.expectedResult) && expectedError.equals(t.expectedError)
                && errorIsPattern == t.errorIsPattern;
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, sections, assembly, raw, Arrays.hashCode(memory), expectedResult, expectedError,
                errorIsPattern);
    }

    @Override
    public String toString() {
        return "ConformanceTest[" + file + ", sections=" + sections.stream().map(Section::name).toList()
                + ", memory=" + memory.length + " bytes, result=" + expectedResult + ", error=" + expectedError + "]";
    }
}
