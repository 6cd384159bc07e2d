package dev.weir.datapath.vm;

/** struct xdp_md: six u32 fields, read-only, each read as a whole (xdp_is_valid_access). */
final class XdpContext implements Context {
    static final int DATA = 0, DATA_END = 4, DATA_META = 8, INGRESS_IFINDEX = 12, RX_QUEUE_INDEX = 16,
            EGRESS_IFINDEX = 20, SIZE = 24;

    private final Region packet;
    private final int packetRegion;
    XdpMetadata metadata = XdpMetadata.DEFAULT;

    XdpContext(Region packet, int packetRegion) {
        this.packet = packet;
        this.packetRegion = packetRegion;
    }

    @Override
    public long load(int pc, int offset, int size, long address) {
        if (size != 4 || offset < 0 || offset >= SIZE || offset % 4 != 0) {
            throw new VmFault(pc, address, size, name(), "invalid xdp_md access");
        }
        return switch (offset) {
            case DATA, DATA_META -> Memory.pointer(packetRegion, packet.lo);
            case DATA_END -> Memory.pointer(packetRegion, packet.hi);
            case INGRESS_IFINDEX -> metadata.ingressIfindex() & 0xffffffffL;
            case RX_QUEUE_INDEX -> metadata.rxQueueIndex() & 0xffffffffL;
            default -> 0; // egress_ifindex: only set for devmap programs
        };
    }

    @Override
    public void store(int pc, int offset, int size, long value, long address) {
        throw new VmFault(pc, address, size, name(), "xdp_md is read-only");
    }

    @Override
    public String name() {
        return "context (xdp_md)";
    }
}
