package dev.weir.datapath.vm;

/**
 * A program's context structure (xdp_md, __sk_buff). Accesses are field by field, as the
 * kernel's verifier rewrites them: pointer fields read as full 64-bit pointers, not stored bytes.
 */
interface Context {
    /** The loaded value, or throws a {@link VmFault} for an access the kernel would refuse. */
    long load(int pc, int offset, int size, long address);

    void store(int pc, int offset, int size, long value, long address);

    String name();
}
