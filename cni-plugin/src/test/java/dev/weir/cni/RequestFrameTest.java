package dev.weir.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFrameTest {

    @Test
    void theEnvironmentAndTheConfigurationAreSeparateLengthPrefixedParts() throws Exception {
        byte[] stdin = "{\"cniVersion\":\"1.1.0\",\"env\":{\"CNI_COMMAND\":\"DEL\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = RequestFrame.encode(Map.of("CNI_COMMAND", "CHECK", "CNI_CONTAINERID", "c\"1", "HOME", "/root"), NetworkConfig.parse(stdin));
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        byte[] environment = new byte[buffer.getInt()];
        buffer.get(environment);
        byte[] config = new byte[buffer.getInt()];
        buffer.get(config);
        assertThat(buffer.hasRemaining()).isFalse();
        // Only the CNI_* variables, in a fixed order, quoted; the configuration exactly as given.
        assertThat(new String(environment, StandardCharsets.UTF_8)).isEqualTo("{\"CNI_COMMAND\":\"CHECK\",\"CNI_CONTAINERID\":\"c\\\"1\"}");
        assertThat(config).isEqualTo(stdin);
    }

    @Test
    void anEnvironmentLargerThanTheBoundIsNotFramed() throws Exception {
        var config = NetworkConfig.parse("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(RequestFrame.encode(Map.of("CNI_COMMAND", "ADD", "CNI_ARGS", "x".repeat(RequestFrame.MAX_ENVIRONMENT_BYTES)), config)).isNull();
        assertThat(RequestFrame.encode(Map.of("CNI_COMMAND", "ADD", "CNI_ARGS", "x".repeat(1000)), config)).isNotNull();
    }
}
