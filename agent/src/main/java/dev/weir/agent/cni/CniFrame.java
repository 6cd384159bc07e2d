package dev.weir.agent.cni;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The plugin's request, split into its two parts, each a 4-byte big-endian length and its bytes: the CNI_*
 * environment (a JSON object the plugin writes) and the network configuration (standard input, unchanged).
 * Separate parts keep the configuration from adding to or overriding the environment; a frame whose parts do
 * not fill it exactly is refused.
 */
record CniFrame(byte[] environment, byte[] config) {
    /** The plugin's bound on each part; with both at most this, a frame is well below the socket's limit. */
    static final int MAX_PART = 1 << 20;

    static CniFrame split(byte[] frame) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        byte[] environment = part(buffer, "environment");
        byte[] config = part(buffer, "network configuration");
        if (buffer.hasRemaining()) throw malformed(buffer.remaining() + " bytes follow the network configuration");
        return new CniFrame(environment, config);
    }

    private static byte[] part(ByteBuffer buffer, String name) {
        try {
            int length = buffer.getInt();
            if (length < 0 || length > MAX_PART) throw malformed("its " + name + " claims " + length + " bytes (at most " + MAX_PART + ")");
            if (length > buffer.remaining()) throw malformed("its " + name + " claims " + length + " bytes, " + buffer.remaining() + " follow");
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            return bytes;
        } catch (BufferUnderflowException e) {
            throw malformed("it ends before the length of its " + name);
        }
    }

    private static CniError malformed(String why) {
        return new CniError(CniError.DECODE_FAILURE, "the plugin's request is not a Weir CNI frame", why);
    }
}
