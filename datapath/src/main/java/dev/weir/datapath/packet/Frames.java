package dev.weir.datapath.packet;

import java.nio.ByteBuffer;

/**
 * Builds Ethernet frames carrying IPv4 with TCP, UDP or SCTP headers, checksums filled in, for
 * tests, benchmarks and the simulator. Addresses are IPv4 as ints in host notation
 * (0x0a000001 = 10.0.0.1).
 */
public final class Frames {
    public static final int TCP = 6, UDP = 17, SCTP = 132;
    public static final int TCP_SYN = 0x02, TCP_ACK = 0x10;
    private static final byte[] SRC_MAC = {0x02, 0, 0, 0, 0, 0x01}, DST_MAC = {0x02, 0, 0, 0, 0, 0x02};

    private Frames() {}

    public static byte[] tcp(int srcIp, int dstIp, int srcPort, int dstPort, int flags) {
        ByteBuffer l4 = ByteBuffer.allocate(20);
        l4.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(0)
          .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return ipv4(srcIp, dstIp, TCP, l4.array(), 16);
    }

    public static byte[] udp(int srcIp, int dstIp, int srcPort, int dstPort, byte[] payload) {
        ByteBuffer l4 = ByteBuffer.allocate(8 + payload.length);
        l4.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length))
          .putShort((short) 0).put(payload);
        return ipv4(srcIp, dstIp, UDP, l4.array(), 6);
    }

    /** An SCTP common header with an INIT chunk; the CRC32c is left zero (policy does not read it). */
    public static byte[] sctp(int srcIp, int dstIp, int srcPort, int dstPort) {
        ByteBuffer l4 = ByteBuffer.allocate(12 + 20);
        l4.putShort((short) srcPort).putShort((short) dstPort).putInt(0).putInt(0)
          .put((byte) 1).put((byte) 0).putShort((short) 20).putInt(1).putInt(65535).putShort((short) 1)
          .putShort((short) 1).putInt(1);
        return ipv4(srcIp, dstIp, SCTP, l4.array(), -1);
    }

    /**
     * An SCTP packet without its IP header, as a raw socket sends it: the common header (verification tag 0,
     * CRC32c filled in) and an INIT chunk, what opens an association.
     */
    public static byte[] sctpInit(int srcPort, int dstPort, int initiateTag) {
        ByteBuffer l4 = ByteBuffer.allocate(12 + 20);
        l4.putShort((short) srcPort).putShort((short) dstPort).putInt(0).putInt(0)
          .put((byte) 1).put((byte) 0).putShort((short) 20).putInt(initiateTag).putInt(65535).putShort((short) 1)
          .putShort((short) 1).putInt(1);
        byte[] packet = l4.array();
        var crc = new java.util.zip.CRC32C();
        crc.update(packet);
        int value = (int) crc.getValue();
        // RFC 9260 appendix A: the CRC32c goes in little-endian byte order.
        packet[8] = (byte) value;
        packet[9] = (byte) (value >>> 8);
        packet[10] = (byte) (value >>> 16);
        packet[11] = (byte) (value >>> 24);
        return packet;
    }

    /** Frame = Ethernet + IPv4 (20 bytes) + l4; the L4 checksum at csumOffset (or none if -1). */
    static byte[] ipv4(int srcIp, int dstIp, int protocol, byte[] l4, int csumOffset) {
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + l4.length);
        f.put(DST_MAC).put(SRC_MAC).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1)
         .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
         .putInt(srcIp).putInt(dstIp);
        byte[] frame = f.put(l4).array();
        putShort(frame, 24, checksum(frame, 14, 20, 0));
        if (csumOffset >= 0) {
            long pseudo = (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + l4.length;
            putShort(frame, 34 + csumOffset, checksum(frame, 34, l4.length, pseudo));
        }
        return frame;
    }

    /** RFC 1071 checksum of big-endian 16-bit words, with an initial partial sum. */
    public static int checksum(byte[] d, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) sum += ((d[off + i] & 0xff) << 8) | (d[off + i + 1] & 0xff);
        if ((len & 1) != 0) sum += (d[off + len - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    private static void putShort(byte[] d, int off, int v) {
        d[off] = (byte) (v >>> 8);
        d[off + 1] = (byte) v;
    }

    public static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        int v = 0;
        for (String s : p) v = (v << 8) | Integer.parseInt(s);
        return v;
    }
}
