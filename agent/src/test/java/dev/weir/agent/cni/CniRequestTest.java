package dev.weir.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The agent reads the plugin's frame as strictly as the plugin reads standard input: nothing can inject fields. */
class CniRequestTest {
    static final String ENV = "{\"CNI_COMMAND\":\"CHECK\",\"CNI_CONTAINERID\":\"c1\",\"CNI_NETNS\":\"/proc/self/ns/net\",\"CNI_IFNAME\":\"eth0\"}";
    static final String CONFIG = "{\"cniVersion\":\"1.1.0\",\"name\":\"weir\"}";

    static byte[] frame(String environment, String config) {
        byte[] env = environment.getBytes(StandardCharsets.UTF_8), conf = config.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + env.length + conf.length).putInt(env.length).put(env).putInt(conf.length).put(conf).array();
    }

    @Test
    void readsTheTwoParts() {
        var request = CniRequest.parse(frame(ENV, CONFIG));
        assertThat(request.command()).isEqualTo("CHECK");
        assertThat(request.containerId()).isEqualTo("c1");
        assertThat(request.config().path("name").asText()).isEqualTo("weir");
    }

    @Test
    void aSecondEnvironmentOrAnInjectedFieldIsRefused() {
        refused(frame("{\"CNI_COMMAND\":\"CHECK\",\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\",\"CNI_IFNAME\":\"eth0\"}", CONFIG), "Duplicate field 'CNI_COMMAND'");
        refused(frame(ENV, CONFIG + ", \"env\":{\"CNI_COMMAND\":\"DEL\"}"), "the network configuration on standard input is not strict JSON");
        refused(frame(ENV + "{\"CNI_COMMAND\":\"DEL\"}", CONFIG), "Trailing token");
        refused(frame(ENV, "{\"cniVersion\":\"1.1.0\",\"cniVersion\":\"0.4.0\"}"), "Duplicate field 'cniVersion'");
        refused(frame(ENV, "{\"a\":{\"b\":1,\"b\":2},\"cniVersion\":\"1.1.0\"}"), "Duplicate field 'b'");
        refused(frame("{\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\",\"CNI_IFNAME\":\"eth0\",\"config\":{}}", CONFIG), "carries config, not a CNI_* variable");
        refused(frame("{\"CNI_COMMAND\":[\"DEL\"]}", CONFIG), "CNI_COMMAND is not a string");
        refused(frame("[]", CONFIG), "environment is not a JSON object");
        refused(frame(ENV, "[]"), "is not a JSON object");
    }

    @Test
    void theOldSingleEnvelopeWithTwoEnvFieldsIsNotAFrame() {
        String envelope = "{\"env\":{\"CNI_COMMAND\":\"CHECK\"},\"config\":{\"cniVersion\":\"1.1.0\"}, \"env\":{\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\"}}";
        refused(envelope.getBytes(StandardCharsets.UTF_8), "not a Weir CNI frame");
    }

    @Test
    void partsMustFillTheFrameExactly() {
        byte[] good = frame(ENV, CONFIG);
        refused(java.util.Arrays.copyOf(good, good.length + 1), "1 bytes follow the network configuration");
        refused(java.util.Arrays.copyOf(good, good.length - 1), "its network configuration claims 36 bytes, 35 follow");
        refused(new byte[] {0, 0}, "ends before the length of its environment");
        refused(ByteBuffer.allocate(8).putInt(-1).putInt(0).array(), "claims -1 bytes");
        refused(ByteBuffer.allocate(8).putInt(2 << 20).putInt(0).array(), "claims 2097152 bytes (at most 1048576)");
    }

    @Test
    void deepNestingAndBytesThatAreNotUtf8AreRefused() {
        refused(frame(ENV, "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",\"cniVersion\":\"1.1.0\"}"), "depth");
        assertThat(CniRequest.parse(frame(ENV, "{\"a\":" + "[".repeat(63) + "]".repeat(63) + ",\"cniVersion\":\"1.1.0\"}")).command()).isEqualTo("CHECK");
        byte[] env = ENV.getBytes(StandardCharsets.UTF_8);
        byte[] config = {'{', '"', 'c', 'n', 'i', 'V', 'e', 'r', 's', 'i', 'o', 'n', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};
        refused(ByteBuffer.allocate(8 + env.length + config.length).putInt(env.length).put(env).putInt(config.length).put(config).array(), "UTF-8");
    }

    private static void refused(byte[] frame, String why) {
        assertThatThrownBy(() -> CniRequest.parse(frame)).isInstanceOfSatisfying(CniError.class, e -> {
            assertThat(e.code()).isEqualTo(CniError.DECODE_FAILURE);
            assertThat(e.getMessage() + " " + e.details()).contains(why).doesNotContain("\n");
        });
    }
}
