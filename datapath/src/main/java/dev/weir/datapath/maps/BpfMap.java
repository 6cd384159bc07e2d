package dev.weir.datapath.maps;

import java.util.Optional;

/**
 * The user-space view of a map, the same for a map in the interpreter and one in the kernel, so
 * tests can fill and compare both alike. Per-CPU maps take and return one value per possible
 * CPU, each rounded up to 8 bytes, concatenated (as bpf(2) does).
 */
public interface BpfMap {
    /** BPF_ANY, BPF_NOEXIST, BPF_EXIST. */
    long ANY = 0, NOEXIST = 1, EXIST = 2;

    MapSpec spec();

    /** The value for a key, or empty if absent. */
    Optional<byte[]> lookup(byte[] key);

    /** Inserts or replaces; throws {@link MapException} with the kernel's errno on refusal. */
    void update(byte[] key, byte[] value, long flags);

    /** Removes a key; throws {@link MapException} (ENOENT if absent, EINVAL for arrays). */
    void delete(byte[] key);

    /**
     * The key after the given one in the map's iteration order; the first key when {@code key} is
     * null or absent (as BPF_MAP_GET_NEXT_KEY does for hash maps); empty at the end.
     */
    Optional<byte[]> nextKey(byte[] key);
}
