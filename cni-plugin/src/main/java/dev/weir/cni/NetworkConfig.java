package dev.weir.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The network configuration as the runtime gave it on standard input: at most {@link #MAX_BYTES} of UTF-8
 * holding one strict JSON object. The bytes go to the agent unchanged, as a part of their own in the request
 * frame; the plugin reads of them only what it needs itself (the agent's socket).
 */
record NetworkConfig(byte[] bytes, StrictJson.TopLevel topLevel) {
    /** Well below the agent's frame limit ({@code CniSocketServer.MAX_REQUEST}), with room for the environment. */
    static final int MAX_BYTES = 1 << 20;

    /** Why standard input is not a network configuration; its message is one line. */
    static final class Invalid extends Exception {
        private final String details;

        Invalid(String message, String details) {
            super(message, null, false, false);
            this.details = details;
        }

        String details() {
            return details;
        }
    }

    static NetworkConfig read(InputStream stdin) throws IOException, Invalid {
        byte[] bytes = stdin.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            stdin.transferTo(OutputStream.nullOutputStream()); // so the runtime's write completes rather than breaks
            throw new Invalid("the network configuration is larger than " + MAX_BYTES + " bytes", "");
        }
        return parse(bytes);
    }

    static NetworkConfig parse(byte[] bytes) throws Invalid {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid("the network configuration is not UTF-8", "");
        }
        try {
            return new NetworkConfig(Arrays.copyOf(bytes, bytes.length), StrictJson.object(text));
        } catch (StrictJson.InvalidJson e) {
            throw new Invalid("the network configuration is not one JSON object", e.getMessage());
        }
    }
}
