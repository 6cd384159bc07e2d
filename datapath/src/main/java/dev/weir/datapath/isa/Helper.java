package dev.weir.datapath.isa;

/** Kernel helper function numbers (enum bpf_func_id) that Weir's programs use. */
public enum Helper {
    MAP_LOOKUP_ELEM(1), MAP_UPDATE_ELEM(2), MAP_DELETE_ELEM(3), KTIME_GET_NS(5), GET_PRANDOM_U32(7),
    GET_SMP_PROCESSOR_ID(8), SKB_STORE_BYTES(9), L3_CSUM_REPLACE(10), L4_CSUM_REPLACE(11), TAIL_CALL(12),
    REDIRECT(23), SKB_LOAD_BYTES(26), CSUM_DIFF(28), XDP_ADJUST_HEAD(44), RINGBUF_OUTPUT(130),
    RINGBUF_RESERVE(131), RINGBUF_SUBMIT(132), RINGBUF_DISCARD(133), REDIRECT_PEER(155);

    public final int id;

    Helper(int id) {
        this.id = id;
    }

    /** The kernel's name for it, as bpftool prints it: bpf_map_lookup_elem. */
    public String kernelName() {
        return "bpf_" + name().toLowerCase(java.util.Locale.ROOT);
    }

    private static final Helper[] BY_ID = new Helper[156];

    static {
        for (Helper h : values()) BY_ID[h.id] = h;
    }

    /** The helper with that number, or null. A table lookup: the interpreter calls this per helper call. */
    public static Helper of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
