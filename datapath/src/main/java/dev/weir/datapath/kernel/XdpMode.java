package dev.weir.datapath.kernel;

/** Where an XDP program runs (XDP_FLAGS_*_MODE in the link's flags). */
public enum XdpMode {
    /** The driver's native hook when it has one, else the generic one. */
    DEFAULT(0),
    /** The generic hook in the network stack, after the skb is built: works on any device, slower. */
    GENERIC(1 << 1),
    /** The driver's hook, before any allocation: EOPNOTSUPP where the driver has none. */
    DRIVER(1 << 2);

    final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }
}
