package dev.weir.datapath.isa;

/**
 * A map named by a 64-bit load. Symbolic names are resolved at encode time to a file descriptor
 * (for the kernel) or an index into the program's map table (for fd_array and the interpreter).
 */
public sealed interface MapRef {
    record Named(String name) implements MapRef {
        @Override
        public String toString() {
            return name;
        }
    }

    /** BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE: the immediate is a map file descriptor. */
    record Fd(int fd) implements MapRef {
        @Override
        public String toString() {
            return "map[fd:" + fd + "]";
        }
    }

    /** BPF_PSEUDO_MAP_IDX / BPF_PSEUDO_MAP_IDX_VALUE: the immediate indexes the program's maps. */
    record Index(int index) implements MapRef {
        @Override
        public String toString() {
            return "map[idx:" + index + "]";
        }
    }

    static MapRef named(String name) {
        return new Named(name);
    }
}
