package dev.weir.datapath.kernel;

import java.util.Arrays;
import java.util.HexFormat;

/** One key and its value, as BPF_MAP_LOOKUP_BATCH returns them (per-CPU values concatenated). */
public record MapEntry(byte[] key, byte[] value) {
    public MapEntry {
        key = key.clone();
        value = value.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapEntry(byte[] k, byte[] v) && Arrays.equals(key, k) && Arrays.equals(value, v);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(key) + "=" + HexFormat.of().formatHex(value);
    }
}
