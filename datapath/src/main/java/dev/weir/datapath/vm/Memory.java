package dev.weir.datapath.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The address space of one interpreter: a table of regions indexed by the upper 32 bits of a
 * pointer. Every load and store of a program, and every pointer a helper dereferences, goes through
 * {@link #resolve}, the one bounds check.
 */
final class Memory {
    static final int CONTEXT = 1, PACKET = 2, STACK = 3, MAX_FRAMES = 8, FIRST_FREE = STACK + MAX_FRAMES;
    static final int STACK_SIZE = 512;
    /** Ring-buffer records live above this index so they never collide with maps registered later. */
    static final int TRANSIENT_BASE = 1 << 20;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Region[] regions = new Region[64];
    private int count = FIRST_FREE;
    private final List<Region> transients = new ArrayList<>();

    static long pointer(int region, int offset) {
        return ((long) region << 32) | (offset & 0xffffffffL);
    }

    void set(int index, Region region) {
        regions[index] = region;
    }

    Region get(int index) {
        return regions[index];
    }

    int add(Region region) {
        if (count == TRANSIENT_BASE) throw new IllegalStateException("too many maps registered in one interpreter");
        if (count == regions.length) regions = java.util.Arrays.copyOf(regions, count * 2);
        regions[count] = region;
        return count++;
    }

    /** Ring-buffer records one run may reserve: bounds the memory a reserve loop can take. */
    static final int MAX_TRANSIENTS = 1 << 16;

    /** Registers a region for the rest of this run, or returns -1 when the run has made too many. */
    int addTransient(Region region) {
        if (transients.size() >= MAX_TRANSIENTS) return -1;
        transients.add(region);
        return TRANSIENT_BASE + transients.size() - 1;
    }

    void clearTransients() {
        transients.clear();
    }

    /** The region an address falls in, or null. */
    Region regionOf(long address) {
        int index = (int) (address >>> 32);
        if (index > 0 && index < count) return regions[index];
        int t = index - TRANSIENT_BASE;
        return t >= 0 && t < transients.size() ? transients.get(t) : null;
    }

    /** Checks that [address, address + size) lies inside one accessible element of one region. */
    Region resolve(long address, int size, int pc, boolean write) {
        Region r = regionOf(address);
        int off = (int) address;
        if (r == null || !r.live) {
            throw new VmFault(pc, address, size, null, (write ? "store to" : "load from") + " unmapped address");
        }
        if (r.data == null) {
            throw new VmFault(pc, address, size, r.name, (write ? "store to" : "load from") + " a pointer that cannot be dereferenced");
        }
        check(r, off, address, size, pc, write);
        return r;
    }

    private static void check(Region r, int off, long address, int size, int pc, boolean write) {
        if (size < 0 || off < r.lo || off > r.hi - size) {
            throw new VmFault(pc, address, size, r.name, "out of bounds " + (write ? "store" : "load"));
        }
        if (r.stride != 0 && (off - r.lo) % r.stride + size > r.elementSize) {
            throw new VmFault(pc, address, size, r.name, "access crosses the end of a map value");
        }
        if (write && !r.writable) throw new VmFault(pc, address, size, r.name, "store to read-only memory");
    }

    long load(long address, int size, int pc) {
        Region r = regionOf(address);
        if (r == null || r.data == null || !r.live) return slowLoad(r, address, size, pc);
        int off = (int) address;
        check(r, off, address, size, pc, false);
        byte[] d = r.data;
        return switch (size) {
            case 1 -> d[off] & 0xffL;
            case 2 -> (short) SHORT.get(d, off) & 0xffffL;
            case 4 -> (int) INT.get(d, off) & 0xffffffffL;
            default -> (long) LONG.get(d, off);
        };
    }

    void store(long address, int size, long value, int pc) {
        Region r = regionOf(address);
        if (r == null || r.data == null || !r.live) {
            slowStore(r, address, size, value, pc);
            return;
        }
        int off = (int) address;
        check(r, off, address, size, pc, true);
        byte[] d = r.data;
        switch (size) {
            case 1 -> d[off] = (byte) value;
            case 2 -> SHORT.set(d, off, (short) value);
            case 4 -> INT.set(d, off, (int) value);
            default -> LONG.set(d, off, value);
        }
    }

    /** Contexts (field-by-field access) and every kind of fault. */
    private long slowLoad(Region r, long address, int size, int pc) {
        if (r != null && r.live && r.context != null) return r.context.load(pc, (int) address, size, address);
        resolve(address, size, pc, false); // throws the precise fault
        throw new AssertionError();
    }

    private void slowStore(Region r, long address, int size, long value, int pc) {
        if (r != null && r.live && r.context != null) {
            r.context.store(pc, (int) address, size, value, address);
            return;
        }
        resolve(address, size, pc, true);
        throw new AssertionError();
    }



    static int getInt(byte[] d, int off) {
        return (int) INT.get(d, off);
    }

}
