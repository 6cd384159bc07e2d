package dev.weir.datapath.maps;

import java.util.Objects;
import java.util.Optional;

/**
 * BPF_MAP_TYPE_PROG_ARRAY: the table bpf_tail_call jumps through. Key: a u32 index. In the kernel a
 * value is a program fd on the way in and a program id on the way out; here a slot holds whatever
 * object the interpreter runs ({@link #setProgram}), or, when filled through the user-space
 * {@link #update}, the fd number as an {@link Integer} placeholder (nothing checks that the fd
 * names a program, where the kernel would refuse with EBADF or EINVAL).
 *
 * <p>Programs may only tail-call through it: the verifier refuses the element helpers, so
 * {@link #lookupFrom} returns -1 and {@link #updateFrom} / {@link #deleteFrom} return -EINVAL.
 * User-space lookups are refused with ENOTSUPP (what kernels without prog-id lookups return): a
 * program id would mean nothing here. {@link #valueStore()} is empty.
 */
public final class ProgArrayMap extends OpaqueMap {
    private static final byte[] NO_VALUES = new byte[0];

    private final Object[] programs;

    ProgArrayMap(MapSpec spec) {
        super(spec);
        this.programs = new Object[spec.maxEntries()];
    }

    /** Installs the program a tail call to {@code index} continues with. */
    public void setProgram(int index, Object program) {
        programs[Objects.checkIndex(index, programs.length)] = Objects.requireNonNull(program, "program");
    }

    /** The program at {@code index} (a u32), or null when the slot is empty or out of range: the tail call falls through. */
    public Object program(int index) {
        return Integer.compareUnsigned(index, programs.length) < 0 ? programs[index] : null;
    }

    /** Empties a slot; tail calls to it fall through again. */
    public void clearProgram(int index) {
        programs[Objects.checkIndex(index, programs.length)] = null;
    }

    @Override
    public byte[] valueStore() {
        return NO_VALUES;
    }





    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        throw refusal(Errno.ENOTSUPP, "lookup (use program(index))");
    }

    /** Stores the fd number as a placeholder program; flags must be BPF_ANY (bpf_fd_array_map_update_elem). */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        if (value == null || value.length != 4) throw new IllegalArgumentException("map '" + spec.name() + "': value must be 4 bytes (a program fd)");
        if (flags != ANY) throw refusal(Errno.EINVAL, "update with flags " + flags);
        int index = Bytes.u32(key, 0);
        if (!inRange(index)) throw refusal(Errno.E2BIG, "update of index " + Integer.toUnsignedString(index));
        programs[index] = Bytes.u32(value, 0);
    }

    @Override
    public void delete(byte[] key) {
        checkKey(key);
        int index = Bytes.u32(key, 0);
        if (!inRange(index)) throw refusal(Errno.E2BIG, "delete of index " + Integer.toUnsignedString(index));
        if (programs[index] == null) throw refusal(Errno.ENOENT, "delete of empty index " + index);
        programs[index] = null;
    }

    /** As for arrays: every index, occupied or not. */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        int next = 0;
        if (key != null) {
            checkKey(key);
            int index = Bytes.u32(key, 0);
            if (inRange(index)) {
                if (index == programs.length - 1) return Optional.empty();
                next = index + 1;
            }
        }
        byte[] out = new byte[4];
        Bytes.putU32(out, 0, next);
        return Optional.of(out);
    }

    private boolean inRange(int index) {
        return Integer.compareUnsigned(index, programs.length) < 0;
    }
}
