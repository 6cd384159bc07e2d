package dev.weir.datapath.kernel;

import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.util.ArrayList;
import java.util.List;

/**
 * A program loaded with the parts it tail-calls: part 0 is the one attached; each part's map list is the
 * shared maps followed by one PROG_ARRAY, the chain's own, whose slot k holds part k. The chain creates
 * that array, loads the later parts first (so part 0 never runs with an empty slot), fills the slots and
 * owns all of it: closed once, together. A single part is a plain program with no array.
 *
 * <p>The kernel empties a program array when the last user reference (descriptor or pin) to it goes, even
 * while programs still use it: whoever must keep a chain working past its own process pins {@link #jumps()}.
 */
public final class ProgramChain implements AutoCloseable {
    private final List<KernelProgram> parts;
    private final KernelMap jumps;

    private ProgramChain(List<KernelProgram> parts, KernelMap jumps) {
        this.parts = List.copyOf(parts);
        this.jumps = jumps;
    }

    /** Loads {@code parts} (part 0 first) against {@code shared}, the maps every part indexes before its array. */
    public static ProgramChain load(List<ProgramSpec> parts, List<KernelMap> shared) {
        if (parts.isEmpty()) throw new IllegalArgumentException("a program chain needs at least one part");
        if (parts.size() == 1 && parts.getFirst().maps().size() == shared.size()) {
            return new ProgramChain(List.of(KernelProgram.load(parts.getFirst(), shared)), null);
        }
        MapSpec array = parts.getFirst().maps().getLast();
        if (array.type() != MapType.PROG_ARRAY || parts.getFirst().maps().size() != shared.size() + 1) {
            throw new IllegalArgumentException("program '" + parts.getFirst().name() + "': a program in parts indexes the shared maps and then its own program array");
        }
        if (parts.size() > array.maxEntries()) {
            throw new IllegalArgumentException("program '" + parts.getFirst().name() + "' has " + parts.size() + " parts, its program array " + array.maxEntries() + " slots");
        }
        KernelMap jumps = KernelMap.create(array);
        var loaded = new ArrayList<KernelProgram>();
        try {
            var maps = new ArrayList<>(shared);
            maps.add(jumps);
            for (int k = parts.size() - 1; k >= 1; k--) {
                KernelProgram part = KernelProgram.load(parts.get(k), maps);
                loaded.addFirst(part);
                jumps.setProgram(k, part);
            }
            loaded.addFirst(KernelProgram.load(parts.getFirst(), maps));
            return new ProgramChain(loaded, jumps);
        } catch (RuntimeException e) {
            loaded.forEach(KernelProgram::close);
            jumps.close();
            throw e;
        }
    }

    /** Part 0: what a hook runs. */
    public KernelProgram entry() {
        return parts.getFirst();
    }

    public List<KernelProgram> parts() {
        return parts;
    }

    /** The chain's program array, or null for a single part. */
    public KernelMap jumps() {
        return jumps;
    }

    @Override
    public void close() {
        parts.forEach(KernelProgram::close);
        if (jumps != null) jumps.close();
    }

    @Override
    public String toString() {
        return "ProgramChain[" + entry().name() + ", " + parts.size() + " parts]";
    }
}
