package dev.weir.datapath.vm;

/**
 * The __sk_buff fields a tc program sees besides the packet. {@code protocol} is the EtherType in
 * network byte order as the kernel stores it (0x0008 reads back for IPv4 on little-endian hosts);
 * {@link #forPacket} derives it from the frame, as eth_type_trans does for BPF_PROG_TEST_RUN.
 */
public record SkbMetadata(int mark, int priority, int ingressIfindex, int ifindex, int protocol, int pktType,
                          int[] cb, int tcIndex, int tcClassid, long tstamp) {
    public SkbMetadata {
        cb = cb == null ? new int[5] : cb.clone();
        if (cb.length != 5) throw new IllegalArgumentException("cb has 5 words");
    }

    public static SkbMetadata forPacket(byte[] frame, int ifindex) {
        int protocol = frame.length >= 14 ? ((frame[13] & 0xff) << 8) | (frame[12] & 0xff) : 0;
        return new SkbMetadata(0, 0, ifindex, ifindex, protocol, 0, null, 0, 0, 0);
    }

    @Override
    public int[] cb() {
        return cb.clone();
    }
}
