package dev.weir.datapath.asm;

import java.util.Optional;

/**
 * Assembly text that does not assemble. Names where (source, line number, line text) and what is
 * wrong, in the wording of the bpf_conformance assembler ("Invalid register", "Invalid number of
 * operands for lock", ...) so expected-error sections of the corpus can be matched against it.
 */
public final class AssemblyException extends RuntimeException {
    private final String source;
    private final int line;
    private final String lineText;
    private final String problem;

    public AssemblyException(String source, int line, String lineText, String problem) {
        super(describe(source, line, lineText, problem));
        this.source = source;
        this.line = line;
        this.lineText = lineText;
        this.problem = problem;
    }

    private static String describe(String source, int line, String lineText, String problem) {
        String where = source == null ? "line " + line : source + ":" + line;
        return where + ": " + problem + " in `" + lineText + "`";
    }

    /** The name of the text assembled (a file name), if one was given. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** The 1-based line number of the offending line. */
    public int line() {
        return line;
    }

    /** The offending line as written, comment included. */
    public String lineText() {
        return lineText;
    }

    /** What is wrong, without the location: "Invalid register '%r50'". */
    public String problem() {
        return problem;
    }
}
