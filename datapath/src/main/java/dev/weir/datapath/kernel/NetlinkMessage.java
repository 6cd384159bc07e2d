package dev.weir.datapath.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One rtnetlink request being written: the 16-byte nlmsghdr, a fixed header (ifinfomsg, ifaddrmsg, rtmsg,
 * ndmsg) and attributes, nested where the kernel nests them. Attributes are 4-byte aligned, host order.
 */
final class NetlinkMessage {
    static final int NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_REPLACE = 0x100;
    private static final int NLA_F_NESTED = 0x8000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    NetlinkMessage(int type, int flags) {
        // nlmsghdr: length and sequence number are set by finish()
        bytes(order(ByteBuffer.allocate(16)).putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0).array());
    }

    /** struct ifinfomsg: family, type, index, flags, change. */
    NetlinkMessage ifinfo(int index, int flags, int change) {
        return bytes(order(ByteBuffer.allocate(16)).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(index).putInt(flags).putInt(change).array());
    }

    /** struct ifaddrmsg. */
    NetlinkMessage ifaddr(int family, int prefixLength, int scope, int index) {
        return bytes(order(ByteBuffer.allocate(8)).put((byte) family).put((byte) prefixLength).put((byte) 0)
                .put((byte) scope).putInt(index).array());
    }

    /** struct rtmsg. */
    NetlinkMessage rt(int family, int destinationLength, int table, int protocol, int scope, int type, int flags) {
        return bytes(order(ByteBuffer.allocate(12)).put((byte) family).put((byte) destinationLength).put((byte) 0).put((byte) 0)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type).putInt(flags).array());
    }

    /** struct ndmsg. */
    NetlinkMessage nd(int family, int index, int state, int flags, int type) {
        return bytes(order(ByteBuffer.allocate(12)).put((byte) family).put((byte) 0).putShort((short) 0)
                .putInt(index).putShort((short) state).put((byte) flags).put((byte) type).array());
    }

    NetlinkMessage attribute(int type, byte[] payload) {
        bytes(order(ByteBuffer.allocate(4)).putShort((short) (4 + payload.length)).putShort((short) type).array());
        bytes(payload);
        return pad();
    }

    NetlinkMessage attribute(int type, int value) {
        return attribute(type, order(ByteBuffer.allocate(4)).putInt(value).array());
    }

    /** A NUL-terminated string attribute. */
    NetlinkMessage attribute(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        byte[] terminated = new byte[text.length + 1];
        System.arraycopy(text, 0, terminated, 0, text.length);
        return attribute(type, terminated);
    }

    /** An IPv4 address attribute, network order. */
    NetlinkMessage ipv4(int type, int address) {
        return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(address).array());
    }

    NetlinkMessage nested(int type, Consumer<NetlinkMessage> body) {
        int start = out.size();
        bytes(new byte[4]);
        body.accept(this);
        writeAt(start, order(ByteBuffer.allocate(4)).putShort((short) (out.size() - start)).putShort((short) (type | NLA_F_NESTED)).array());
        return this;
    }

    /** The message with its length and sequence number set. */
    byte[] finish(int sequence) {
        byte[] message = out.toByteArray();
        ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).putInt(0, message.length).putInt(8, sequence);
        return message;
    }

    private NetlinkMessage bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    private NetlinkMessage pad() {
        while (out.size() % 4 != 0) out.write(0);
        return this;
    }

    private void writeAt(int at, byte[] bytes) {
        byte[] all = out.toByteArray();
        System.arraycopy(bytes, 0, all, at, bytes.length);
        out.reset();
        out.writeBytes(all);
    }

    private static ByteBuffer order(ByteBuffer buffer) {
        return buffer.order(ByteOrder.nativeOrder());
    }
}
