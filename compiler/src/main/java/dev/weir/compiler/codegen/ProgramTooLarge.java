package dev.weir.compiler.codegen;

import dev.weir.compiler.policy.Direction;

/** A namespace's policies for one direction need more program parts than tail calls can chain. */
public final class ProgramTooLarge extends RuntimeException {

    public ProgramTooLarge(Direction direction, int policies, int parts) {
        super(policies + " " + direction.name().toLowerCase(java.util.Locale.ROOT) + " policies need " + parts
                + " program parts, more than the " + dev.weir.compiler.abi.WeirMaps.MAX_PARTS + " a chain of tail calls reaches");
    }
}
