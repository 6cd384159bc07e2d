package dev.weir.compiler.codegen;

/**
 * The stack frame of Weir's tc programs (offsets from r10), shared by the policy checks and the Service
 * translation they start with. Keys a helper reads are whole 8-byte words where possible: partial stack
 * writes would keep the verifier from pruning states.
 */
final class Stack {
    static final int CT_KEY = -16, LPM_KEY = -24, NAMED_KEY = -40, CT_VALUE = -48, SADDR = -52, DADDR = -56,
            DPORT = -60, PROTO = -64, ROW_KEY = -68, CT_MASK = -72, CT_SET = -76, CT_PTR = -88, BLOCK_ROW = -96,
            ENDPOINT_KEY = -100, OWN_IDENTITY = -104;
    /** The L4 header's offset in the packet, and its first word (source and destination port, as in the packet). */
    static final int L4_OFFSET = -108, PORTS = -112;
    /** Service translation: the frontend key (then a Maglev row or backend id key), the NAT key and value. */
    static final int SERVICE_KEY = -120, NAT_KEY = -136, NAT_VALUE = -152, SERVICE = -160;
    /** The address (-168) and port (-164) a translation rewrites to. */
    static final int REWRITE_ADDRESS = -168, REWRITE_PORT = -164;

    /** The conntrack flag a translated connection's entry gets ({@link ServiceTranslation#CT_TRANSLATED} or 0). */
    static final int TRANSLATED = -172;
    /** The TCP flags byte (0 for other protocols). */
    static final int TCP_FLAGS = -176;
    /** A TCP header (20 bytes, to -181), read to answer a connection a Service cannot take with a reset. */
    static final int TCP_HEADER = -200;

    private Stack() {}
}
