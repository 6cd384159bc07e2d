package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** BPF_OBJ_GET_INFO_BY_FD: the kernel's bpf_{map,prog,link}_info for a descriptor, as a byte copy. */
final class ObjectInfo {
    private static final int BPF_FD = 0, INFO_LEN = 4, INFO = 8;

    private final byte[] bytes;

    private ObjectInfo(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Asks for {@code size} bytes of info; fields the kernel does not know stay zero. */
    static ObjectInfo read(int fd, int size, String context) {
        try (BpfAttr attr = Bpf.prepare(BpfCommand.OBJ_GET_INFO_BY_FD, context)) {
            MemorySegment info = attr.buffer(size);
            attr.u32(BPF_FD, fd).u32(INFO_LEN, size).pointer(INFO, info);
            attr.invoke();
            return new ObjectInfo(info.asSlice(0, size).toArray(JAVA_BYTE));
        }
    }

    int u32(int offset) {
        return MemorySegment.ofArray(bytes).get(JAVA_INT_UNALIGNED, offset);
    }

    long u64(int offset) {
        return MemorySegment.ofArray(bytes).get(JAVA_LONG_UNALIGNED, offset);
    }

    byte[] bytes(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** A NUL-terminated char[16] object name. */
    String name(int offset) {
        int end = offset;
        while (end < offset + BpfAttr.OBJ_NAME_LEN && bytes[end] != 0) end++;
        return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
