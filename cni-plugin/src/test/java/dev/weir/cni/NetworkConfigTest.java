package dev.weir.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {

    @Test
    void keepsTheBytesAsGiven() throws Exception {
        byte[] stdin = "{ \"cniVersion\" : \"1.1.0\",\n \"weirSocket\": \"/s\" }\n".getBytes(StandardCharsets.UTF_8);
        var config = NetworkConfig.read(new ByteArrayInputStream(stdin));
        assertThat(config.bytes()).isEqualTo(stdin);
        assertThat(config.topLevel().strings()).containsEntry("weirSocket", "/s");
    }

    @Test
    void aConfigurationLargerThanTheBoundIsRefusedAndStandardInputIsDrained() {
        byte[] big = new byte[5 << 20];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        var stdin = new ByteArrayInputStream(big);
        assertThatThrownBy(() -> NetworkConfig.read(stdin)).isInstanceOf(NetworkConfig.Invalid.class)
                .hasMessage("the network configuration is larger than 1048576 bytes");
        assertThat(stdin.available()).isZero();
        // At the bound exactly, it is read.
        byte[] most = Arrays.copyOf(big, NetworkConfig.MAX_BYTES);
        most[most.length - 1] = '}';
        assertThat(NetworkConfig.MAX_BYTES).isEqualTo(1 << 20);
        assertThat(catchRead(most)).isNull();
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        for (byte[] bad : new byte[][] {
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'}, // a lead byte without its continuation
                {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // an encoded surrogate
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}}) { // an overlong '/'
            assertThatThrownBy(() -> NetworkConfig.parse(bad)).isInstanceOf(NetworkConfig.Invalid.class)
                    .hasMessage("the network configuration is not UTF-8");
        }
    }

    @Test
    void saysWhyTheJsonIsRefused() {
        assertThatThrownBy(() -> NetworkConfig.parse("{\"a\":1} trailing".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(NetworkConfig.Invalid.class).hasMessage("the network configuration is not one JSON object")
                .satisfies(e -> assertThat(((NetworkConfig.Invalid) e).details()).isEqualTo("there is text after the configuration object, at character 8"));
    }

    private static Exception catchRead(byte[] stdin) {
        try {
            NetworkConfig.read(new ByteArrayInputStream(stdin));
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
