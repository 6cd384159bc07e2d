package dev.weir.datapath.asm;

/** A problem found in one line; {@link TextAssembler} turns it into an {@link AssemblyException} with the location. */
final class LineProblem extends RuntimeException {
    LineProblem(String problem) {
        super(problem, null, false, false);
    }
}
