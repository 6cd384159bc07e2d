package dev.weir.compiler.cluster;

import java.util.ArrayList;
import java.util.List;

/** The lines refusing one object or parts of it: each names the object, the field, the problem and what is left out. */
final class Refusals {

    private final String described;
    private final List<String> lines = new ArrayList<>();

    /** @param described the object, e.g. {@code Service shop/web} */
    Refusals(String described) {
        this.described = described;
    }

    void add(FieldPath field, String problem, String leftOut) {
        lines.add(described + ": " + field + ": " + problem + "; " + leftOut);
    }

    int count() {
        return lines.size();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
