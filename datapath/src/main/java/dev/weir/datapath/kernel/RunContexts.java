package dev.weir.datapath.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Contexts for BPF_PROG_TEST_RUN, laid out as the kernel's structs. */
public final class RunContexts {
    /** sizeof(struct __sk_buff). */
    public static final int SK_BUFF_SIZE = 192;
    /** sizeof(struct xdp_md). */
    public static final int XDP_MD_SIZE = 24;
    private static final int SKB_MARK = 8, SKB_PRIORITY = 32, SKB_CB = 48;
    private static final int XDP_DATA_END = 4, XDP_INGRESS_IFINDEX = 12, XDP_RX_QUEUE_INDEX = 16;

    private RunContexts() {}

    /** An __sk_buff with mark and priority set, everything else the kernel's default. */
    public static byte[] skBuff(int mark, int priority) {
        return ByteBuffer.allocate(SK_BUFF_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(SKB_MARK, mark).putInt(SKB_PRIORITY, priority).array();
    }

    /**
     * An xdp_md for {@code dataLength} bytes of packet: data 0, data_end the length, data_meta 0
     * (anything else is EINVAL). A non-zero ingress ifindex must name a device in the caller's
     * namespace with more than {@code rxQueueIndex} receive queues.
     */
    public static byte[] xdpMd(int dataLength, int ingressIfindex, int rxQueueIndex) {
        return ByteBuffer.allocate(XDP_MD_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(XDP_DATA_END, dataLength).putInt(XDP_INGRESS_IFINDEX, ingressIfindex)
                .putInt(XDP_RX_QUEUE_INDEX, rxQueueIndex).array();
    }

    /** The mark field of an __sk_buff (from ctx_out). */
    public static int skBuffMark(byte[] skBuff) {
        return ByteBuffer.wrap(skBuff).order(ByteOrder.LITTLE_ENDIAN).getInt(SKB_MARK);
    }

    /** cb[0..4] of an __sk_buff (from ctx_out). */
    public static int[] skBuffCb(byte[] skBuff) {
        ByteBuffer b = ByteBuffer.wrap(skBuff).order(ByteOrder.LITTLE_ENDIAN);
        int[] cb = new int[5];
        for (int i = 0; i < 5; i++) cb[i] = b.getInt(SKB_CB + 4 * i);
        return cb;
    }
}
