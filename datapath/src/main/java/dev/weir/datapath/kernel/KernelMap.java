package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.Errno;
import dev.weir.datapath.maps.MapException;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A map in the kernel, behind the same {@link BpfMap} view as the interpreter's maps: the same
 * byte layouts (per-CPU values concatenated, each padded to 8 bytes) and the same
 * {@link MapException} errnos, so tests can fill and compare both alike. Safe to use from several
 * threads (the kernel serializes element operations), but not while being closed.
 */
public final class KernelMap implements BpfMap, BpfObject {
    // BPF_MAP_CREATE
    private static final int MAP_TYPE = 0, KEY_SIZE = 4, VALUE_SIZE = 8, MAX_ENTRIES = 12, MAP_FLAGS = 16, MAP_NAME = 28;
    // Element commands
    private static final int MAP_FD = 0, KEY = 8, VALUE = 16, FLAGS = 24;
    // BPF_MAP_LOOKUP_BATCH
    private static final int IN_BATCH = 0, OUT_BATCH = 8, KEYS = 16, VALUES = 24, COUNT = 32, BATCH_MAP_FD = 36;
    private static final int BATCH_CHUNK = 4096;

    private final MapSpec spec;
    private final Fd fd;
    /** Bytes of one value as user space sees it: all CPUs' padded values for per-CPU maps. */
    private final int valueBytes;

    private KernelMap(MapSpec spec, Fd fd) {
        this.spec = spec;
        this.fd = fd;
        this.valueBytes = spec.type().perCpu() ? spec.perCpuStride() * PossibleCpus.count() : spec.valueSize();
    }

    /** BPF_MAP_CREATE. Throws {@link BpfException} when the kernel refuses the spec. */
    public static KernelMap create(MapSpec spec) {
        String what = describe(spec);
        try (BpfAttr attr = Bpf.prepare(BpfCommand.MAP_CREATE, what)) {
            attr.u32(MAP_TYPE, spec.type().id)
                    .u32(KEY_SIZE, spec.keySize())
                    .u32(VALUE_SIZE, spec.valueSize())
                    .u32(MAX_ENTRIES, spec.maxEntries())
                    .u32(MAP_FLAGS, spec.flags())
                    .name(MAP_NAME, spec.name());
            return new KernelMap(spec, new Fd(attr.invoke(), what));
        }
    }

    /** Opens a map pinned in bpffs; its spec is read back from the kernel. */
    public static KernelMap openPinned(Path path) {
        return adopt(Bpffs.open(path, "map pinned at " + path));
    }

    /** Takes ownership of a descriptor known to name a map; closes it if it is not one Weir can use. */
    static KernelMap adopt(Fd fd) {
        try {
            MapInfo info = MapInfo.of(fd.get(), fd.toString());
            return new KernelMap(info.spec(), fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    @Override
    public MapSpec spec() {
        return spec;
    }

    @Override
    public int fd() {
        return fd.get();
    }

    /** The kernel's map id (stable while the map exists, unlike descriptor numbers). */
    public MapInfo info() {
        return MapInfo.of(fd.get(), describe(spec));
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        try (BpfAttr attr = element(BpfCommand.MAP_LOOKUP_ELEM)) {
            MemorySegment value = attr.buffer(valueBytes);
            attr.pointer(KEY, keyPointer(attr, key)).pointer(VALUE, value);
            int result = attr.invokeOrErrno();
            if (result == -Errno.ENOENT.code) return Optional.empty();
            check(attr, result, "lookup");
            return Optional.of(value.asSlice(0, valueBytes).toArray(JAVA_BYTE));
        }
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        if (value == null || value.length != valueBytes) {
            throw new IllegalArgumentException(describe(spec) + ": value must be " + valueBytes + " bytes"
                    + (spec.type().perCpu() ? " (" + PossibleCpus.count() + " CPUs x " + spec.perCpuStride() + ")" : "")
                    + ", got " + (value == null ? "null" : value.length));
        }
        try (BpfAttr attr = element(BpfCommand.MAP_UPDATE_ELEM)) {
            attr.pointer(KEY, keyPointer(attr, key)).pointer(VALUE, attr.copyOf(value)).u64(FLAGS, flags);
            check(attr, attr.invokeOrErrno(), "update");
        }
    }

    @Override
    public void delete(byte[] key) {
        checkKey(key);
        try (BpfAttr attr = element(BpfCommand.MAP_DELETE_ELEM)) {
            attr.pointer(KEY, keyPointer(attr, key));
            check(attr, attr.invokeOrErrno(), "delete");
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        if (key != null) checkKey(key);
        try (BpfAttr attr = element(BpfCommand.MAP_GET_NEXT_KEY)) {
            MemorySegment next = attr.buffer(spec.keySize());
            attr.pointer(KEY, key == null ? MemorySegment.NULL : keyPointer(attr, key)).pointer(VALUE, next);
            int result = attr.invokeOrErrno();
            if (result == -Errno.ENOENT.code) return Optional.empty();
            check(attr, result, "next key");
            return Optional.of(next.asSlice(0, spec.keySize()).toArray(JAVA_BYTE));
        }
    }

    /**
     * Every entry, read with BPF_MAP_LOOKUP_BATCH in chunks: far fewer system calls than
     * nextKey and lookup per key. Not a snapshot: entries changed meanwhile may or may not show.
     */
    public List<MapEntry> lookupBatch() {
        List<MapEntry> entries = new ArrayList<>();
        byte[] position = null; // the kernel's opaque cursor: a bucket for hashes, a key for others
        int chunk = Math.min(spec.maxEntries(), BATCH_CHUNK);
        int tokenBytes = Math.max(spec.keySize(), 8);
        while (true) {
            try (BpfAttr attr = Bpf.prepare(BpfCommand.MAP_LOOKUP_BATCH, describe(spec))) {
                MemorySegment keys = attr.buffer((long) chunk * spec.keySize());
                MemorySegment values = attr.buffer((long) chunk * valueBytes);
                MemorySegment out = attr.buffer(tokenBytes);
                attr.pointer(IN_BATCH, position == null ? MemorySegment.NULL : attr.copyOf(position))
                        .pointer(OUT_BATCH, out)
                        .pointer(KEYS, keys)
                        .pointer(VALUES, values)
                        .u32(COUNT, chunk)
                        .u32(BATCH_MAP_FD, fd.get());
                int result = attr.invokeOrErrno();
                if (result == -Errno.ENOSPC.code && attr.u32(COUNT) == 0 && chunk < spec.maxEntries()) {
                    // One hash bucket holds more entries than the chunk: retry larger.
                    chunk = (int) Math.min(2L * chunk, spec.maxEntries());
                    continue;
                }
                if (result < 0 && result != -Errno.ENOENT.code) check(attr, result, "batch lookup");
                int count = attr.u32(COUNT);
                for (int i = 0; i < count; i++) {
                    entries.add(new MapEntry(
                            keys.asSlice((long) i * spec.keySize(), spec.keySize()).toArray(JAVA_BYTE),
                            values.asSlice((long) i * valueBytes, valueBytes).toArray(JAVA_BYTE)));
                }
                if (result == -Errno.ENOENT.code) return entries; // ENOENT: no entries after this chunk
                position = out.asSlice(0, tokenBytes).toArray(JAVA_BYTE);
            }
        }
    }

    /** Puts a program in a PROG_ARRAY slot, for bpf_tail_call(ctx, map, index). */
    public void setProgram(int index, KernelProgram program) {
        requireProgArray();
        update(u32(index), u32(program.fd()), ANY);
    }

    /** Empties a PROG_ARRAY slot: tail calls to it fall through again. */
    public void clearProgram(int index) {
        requireProgArray();
        delete(u32(index));
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "KernelMap[" + describe(spec) + ", " + fd + "]";
    }

    private BpfAttr element(BpfCommand command) {
        BpfAttr attr = Bpf.prepare(command, describe(spec));
        attr.u32(MAP_FD, fd.get());
        return attr;
    }

    /** Keyless maps (ring buffers) must get NULL: the kernel refuses a key pointer with key_size 0. */
    private static MemorySegment keyPointer(BpfAttr attr, byte[] key) {
        return key.length == 0 ? MemorySegment.NULL : attr.copyOf(key);
    }

    /** Refusals become {@link MapException}s, as the in-memory maps throw them. */
    private void check(BpfAttr attr, int result, String operation) {
        if (result >= 0) return;
        BpfException failure = attr.failure(-result);
        Errno errno = Errno.of(-result);
        if (errno == null) throw failure; // not an errno a map operation is specified to give
        MapException refusal = new MapException(errno, operation + " on map '" + spec.name() + "' (" + spec.type() + ")");
        refusal.initCause(failure);
        throw refusal;
    }

    private void checkKey(byte[] key) {
        if (key == null || key.length != spec.keySize()) {
            throw new IllegalArgumentException(describe(spec) + ": key must be " + spec.keySize() + " bytes, got "
                    + (key == null ? "null" : key.length));
        }
    }

    private void requireProgArray() {
        if (spec.type() != MapType.PROG_ARRAY) {
            throw new IllegalStateException(describe(spec) + " is not a PROG_ARRAY");
        }
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static String describe(MapSpec spec) {
        return "map '" + spec.name() + "' (" + spec.type() + ")";
    }
}
