package dev.weir.datapath.vm;

/** The xdp_md fields that are not pointers. */
public record XdpMetadata(int ingressIfindex, int rxQueueIndex) {
    public static final XdpMetadata DEFAULT = new XdpMetadata(1, 0);
}
