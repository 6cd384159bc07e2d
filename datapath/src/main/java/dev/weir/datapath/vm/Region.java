package dev.weir.datapath.vm;

/**
 * A piece of memory a program may address. Pointers are {@code (region index << 32) | offset}; every
 * load and store resolves its region and checks the access against [lo, hi), and for map values
 * against a single element of {@code elementSize} bytes every {@code stride} bytes.
 */
final class Region {
    enum Kind { CONTEXT, PACKET, STACK, MAP_VALUE, MAP_HANDLE, RINGBUF_RECORD }

    final Kind kind;
    final String name;
    byte[] data;
    int lo, hi;
    int stride, elementSize; // stride 0: no element check
    boolean writable;
    boolean live = true;
    Context context; // for CONTEXT regions: field-by-field access
    int mapIndex = -1; // for MAP_VALUE and MAP_HANDLE regions

    Region(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    Region bytes(byte[] data, int lo, int hi, boolean writable) {
        this.data = data;
        this.lo = lo;
        this.hi = hi;
        this.writable = writable;
        return this;
    }
}
