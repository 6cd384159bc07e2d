package dev.weir.datapath.conformance;

import dev.weir.datapath.conformance.ConformanceTest.Section;
import dev.weir.datapath.conformance.ConformanceTest.SourceText;
import dev.weir.datapath.isa.Bytecode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/** Reads the section structure of a .data file and interprets the sections a test is made of. */
final class DataFile {
    private DataFile() {}

    /** Sections that may appear at most once: a second one would be silently ignored otherwise. */
    private static final Set<String> SINGLE = Set.of("asm", "raw", "mem", "result", "error", "error pattern");

    static ConformanceTest read(Path file) throws IOException {
        List<Section> sections = sections(file, Files.readString(file));
        for (String name : SINGLE) {
            List<Section> same = sections.stream().filter(s -> s.name().equals(name)).toList();
            if (same.size() > 1) throw malformed(file, same.get(1).line(), "second '-- " + name + "' section");
        }
        Optional<Section> error = find(sections, "error"), pattern = find(sections, "error pattern");
        if (error.isPresent() && pattern.isPresent()) {
            throw malformed(file, pattern.get().line(), "both '-- error' and '-- error pattern'");
        }

        Optional<SourceText> assembly = content(file, find(sections, "asm"));
        Optional<Bytecode> raw = interpret(file, find(sections, "raw"), HexText::slots);
        byte[] memory = interpret(file, find(sections, "mem"), HexText::bytes).orElse(new byte[0]);
        OptionalLong result = interpret(file, find(sections, "result"), DataFile::number).orElse(OptionalLong.empty());
        Optional<String> expectedError = content(file, error.or(() -> pattern)).map(t -> t.text().strip());
        return new ConformanceTest(file, sections, assembly, raw, memory, result, expectedError, pattern.isPresent());
    }

    private static List<Section> sections(Path file, String text) {
        List<Section> sections = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        String header = null;
        int headerLine = 0;
        List<String> body = new ArrayList<>();
        for (int i = 0; i <= lines.length; i++) {
            boolean end = i == lines.length;
            if (end || lines[i].startsWith("--")) {
                if (header != null) sections.add(section(header, headerLine, body));
                if (end) break;
                header = lines[i].substring(2).strip();
                headerLine = i + 1;
                body = new ArrayList<>();
            } else if (header != null) {
                body.add(lines[i]); // lines before the first section are the header comment
            }
        }
        return sections;
    }

    private static Section section(String header, int line, List<String> body) {
        int end = body.size();
        while (end > 0 && body.get(end - 1).isBlank()) end--;
        String text = String.join("\n", body.subList(0, end));
        int at = header.indexOf('@');
        if (at < 0) return new Section(header, Optional.empty(), text, line);
        return new Section(header.substring(0, at).strip(), Optional.of(header.substring(at + 1).strip()), text, line);
    }

    private static Optional<Section> find(List<Section> sections, String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A section's text: the body, or the whole sibling file for {@code -- NAME @ FILE}. */
    private static Optional<SourceText> content(Path file, Optional<Section> section) throws IOException {
        if (section.isEmpty()) return Optional.empty();
        Section s = section.get();
        if (s.include().isEmpty()) return Optional.of(new SourceText(s.body(), file, s.line() + 1));
        if (!s.body().isBlank()) throw malformed(file, s.line(), "section has both '@ " + s.include().get() + "' and a body");
        Path included = file.resolveSibling(s.include().get());
        return Optional.of(new SourceText(Files.readString(included), included, 1));
    }

    private static <T> Optional<T> interpret(Path file, Optional<Section> section, Function<String, T> parser)
            throws IOException {
        Optional<SourceText> text = content(file, section);
        if (text.isEmpty()) return Optional.empty();
        try {
            return Optional.of(parser.apply(text.get().text()));
        } catch (IllegalArgumentException e) {
            throw malformed(text.get().file(), text.get().firstLine(), e.getMessage());
        }
    }

    /** The {@code -- result} value: hex with 0x or decimal, as bpf_conformance reads it; none if the section is empty. */
    private static OptionalLong number(String text) {
        List<String> tokens = text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
        if (tokens.isEmpty()) return OptionalLong.empty();
        if (tokens.size() > 1) throw new IllegalArgumentException("more than one result value: " + tokens);
        return OptionalLong.of(HexText.number(tokens.getFirst()));
    }

    private static IllegalArgumentException malformed(Path file, int line, String problem) {
        return new IllegalArgumentException(file + ":" + line + ": " + problem);
    }
}
