package dev.weir.datapath.vm;

/** Program types the interpreter runs, with the kernel's enum bpf_prog_type numbers. */
public enum ProgramType {
    /** tc classifier (tcx ingress/egress): context is struct __sk_buff. */
    SCHED_CLS(3),
    /** eXpress Data Path: context is struct xdp_md. */
    XDP(6),
    /** No kernel type: r1 points at plain memory, r2 is its length (the conformance corpus contract). */
    RAW(-1);

    public final int kernelId;

    ProgramType(int kernelId) {
        this.kernelId = kernelId;
    }
}
