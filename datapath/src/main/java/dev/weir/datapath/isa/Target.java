package dev.weir.datapath.isa;

/**
 * Where a jump or local call goes: a symbolic label, resolved when the code is encoded, or a
 * relative offset in instruction slots from the next instruction (what the bytecode holds).
 */
public sealed interface Target {
    record Label(String name) implements Target {
        public Label {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("empty label name");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Relative(int slots) implements Target {
        @Override
        public String toString() {
            return slots < 0 ? Integer.toString(slots) : "+" + slots;
        }
    }

    static Target label(String name) {
        return new Label(name);
    }

    static Target relative(int slots) {
        return new Relative(slots);
    }
}
