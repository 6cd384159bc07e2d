package dev.weir.compiler.abi;

/**
 * Why a program let a packet through or dropped it. The program writes the code to {@code skb->cb[0]} (with
 * the 1-based policy and rule numbers in cb[1] and cb[2] where they apply), which BPF_PROG_TEST_RUN and the
 * interpreter both hand back: that is how {@code weir trace} explains the verdict of the real bytecode.
 */
public enum Reason {
    NOT_IPV4(1, true, "not IPv4 (ARP and others pass)"),
    SELF(2, true, "a pod's traffic to itself"),
    ESTABLISHED(3, true, "part of an allowed connection (connection tracking)"),
    NOT_ISOLATED(4, true, "no policy isolates the pod in this direction"),
    RULE(5, true, "allowed by a rule"),
    DEFAULT_DENY(6, false, "default deny: isolated by a policy, and no rule allows it"),
    IPV6(7, false, "IPv6, which Weir's datapath does not carry yet"),
    MALFORMED(8, false, "malformed or truncated IPv4 packet"),
    FRAGMENT(9, false, "non-first IPv4 fragment (no ports to judge)"),
    UNKNOWN_ENDPOINT(10, false, "the interface is no known pod's"),
    INTERNAL(11, false, "internal: an identity without a row in the selector map"),
    HOST(12, true, "to or from the node: always allowed"),
    ADDRESS_MISMATCH(13, false, "the packet does not carry the pod's own address (spoofed source, or not addressed to the pod)"),
    NO_BACKEND(14, false, "a Service address whose Service has no ready backend");

    public final int code;
    public final boolean allows;
    public final String description;

    Reason(int code, boolean allows, String description) {
        this.code = code;
        this.allows = allows;
        this.description = description;
    }

    public static Reason of(int code) {
        for (Reason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new IllegalArgumentException("no verdict reason " + code);
    }
}
