package dev.weir.datapath.vm;

import static dev.weir.datapath.isa.Helper.*;

import dev.weir.datapath.isa.Helper;
import java.util.EnumSet;
import java.util.Set;

/** Which helpers each program type may call (a subset of what the kernel offers each type). */
final class HelperPolicy {
    private static final Set<Helper> COMMON = EnumSet.of(MAP_LOOKUP_ELEM, MAP_UPDATE_ELEM, MAP_DELETE_ELEM,
            KTIME_GET_NS, GET_PRANDOM_U32, GET_SMP_PROCESSOR_ID, TAIL_CALL, RINGBUF_OUTPUT, RINGBUF_RESERVE,
            RINGBUF_SUBMIT, RINGBUF_DISCARD, CSUM_DIFF);
    private static final Set<Helper> XDP = union(COMMON, EnumSet.of(REDIRECT, XDP_ADJUST_HEAD));
    private static final Set<Helper> SCHED_CLS = union(COMMON, EnumSet.of(REDIRECT, REDIRECT_PEER, SKB_LOAD_BYTES, SKB_STORE_BYTES,
            L3_CSUM_REPLACE, L4_CSUM_REPLACE));
    private static final Set<Helper> RAW = EnumSet.copyOf(COMMON);

    private HelperPolicy() {}

    static Set<Helper> allowed(ProgramType type) {
        return switch (type) {
            case XDP -> XDP;
            case SCHED_CLS -> SCHED_CLS;
            case RAW -> RAW;
        };
    }

    /** Null if the program type may call helper {@code id}, else why not. */
    static String refusal(ProgramType type, int id) {
        Helper h = Helper.of(id);
        if (h == null) return "call to unknown helper " + id;
        if (!allowed(type).contains(h)) return "helper " + h.kernelName() + "#" + id + " is not available to " + type + " programs";
        return null;
    }

    private static Set<Helper> union(Set<Helper> a, Set<Helper> b) {
        EnumSet<Helper> s = EnumSet.copyOf(a);
        s.addAll(b);
        return s;
    }
}
