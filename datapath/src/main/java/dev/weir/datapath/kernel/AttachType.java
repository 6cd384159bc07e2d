package dev.weir.datapath.kernel;

/** The attach points Weir uses (enum bpf_attach_type), with the program type each takes. */
public enum AttachType {
    XDP(37), TCX_INGRESS(46), TCX_EGRESS(47);

    public final int number;

    AttachType(int number) {
        this.number = number;
    }
}
