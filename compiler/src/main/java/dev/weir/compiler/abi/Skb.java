package dev.weir.compiler.abi;

/**
 * What Weir's tc programs read and write of the kernel's {@code struct __sk_buff}, and the verdicts they
 * return: the offsets as the verifier knows them (it rewrites these accesses into the real sk_buff's).
 */
public final class Skb {
    /** skb->ifindex: at either hook of a pod, its host-side interface. */
    public static final int IFINDEX = 40;
    /** skb->cb[0..2]: the verdict's {@link Reason}, the policy number (1-based) and the rule number (1-based). */
    public static final int CB_REASON = 48, CB_POLICY = 52, CB_RULE = 56;
    /** skb->data and skb->data_end: the packet's bounds. */
    public static final int DATA = 76, DATA_END = 80;

    /** tc verdicts: the packet goes on, is dropped, or was redirected (bpf_redirect, bpf_redirect_peer). */
    public static final int TC_ACT_OK = 0, TC_ACT_SHOT = 2, TC_ACT_REDIRECT = 7;

    private Skb() {}
}
