package dev.weir.datapath.isa;

/** What a 64-bit immediate load (lddw) loads; the kind is encoded in the source register field. */
public sealed interface Imm64 {
    int SRC_CONSTANT = 0, SRC_MAP_FD = 1, SRC_MAP_VALUE = 2, SRC_BTF_ID = 3, SRC_FUNC = 4, SRC_MAP_IDX = 5,
            SRC_MAP_IDX_VALUE = 6;

    record Constant(long value) implements Imm64 {}

    /** A pointer to a map, for helpers that take one. */
    record Map(MapRef map) implements Imm64 {}

    /** A pointer into the value of an array map's first element (direct value access). */
    record MapValue(MapRef map, int offset) implements Imm64 {}

    /** The address of a kernel variable by BTF id. */
    record BtfId(int id, int moduleFd) implements Imm64 {}

    /** The address of a bpf-to-bpf function, for callbacks. */
    record Function(Target target) implements Imm64 {}
}
