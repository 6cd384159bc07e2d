package dev.weir.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.compiler.cluster.Ipv4;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {

    @TempDir
    Path dir;

    @Test
    void allocationsSurviveARestartAndAreNeverHandedOutTwice() {
        var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.1.0/24");
        int a = ipam.allocate("c1", "eth0", "weirc1");
        int b = ipam.allocate("c2", "eth0", "weirc2");
        assertThat(Ipv4.text(a)).isEqualTo("10.244.1.1");
        assertThat(Ipv4.text(b)).isEqualTo("10.244.1.2");
        assertThat(ipam.allocate("c1", "eth0", "weirc1")).as("ADD retried").isEqualTo(a);
        var restarted = new Ipam(dir.resolve("ipam.json"), "10.244.1.0/24");
        assertThat(restarted.find("c2", "eth0")).contains(b);
        assertThat(Ipv4.text(restarted.allocate("c3", "eth0", "weirc3"))).isEqualTo("10.244.1.3");
        assertThat(restarted.release("c1", "eth0")).isTrue();
        assertThat(restarted.release("c1", "eth0")).as("DEL twice").isFalse();
        assertThat(Ipv4.text(new Ipam(dir.resolve("ipam.json"), "10.244.1.0/24").allocate("c4", "eth0", "weirc4"))).isEqualTo("10.244.1.1");
        assertThat(Files.exists(dir.resolve("ipam.json.new"))).isFalse();
    }

    @Test
    void aFullRangeAndABadRangeSayWhat() {
        var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.2.0/30");
        ipam.allocate("c1", "eth0", "weirc1");
        ipam.allocate("c2", "eth0", "weirc2");
        assertThatThrownBy(() -> ipam.allocate("c3", "eth0", "weirc3")).hasMessage("pod CIDR 10.244.2.0/30 has no free address (2 allocated)");
        assertThatThrownBy(() -> new Ipam(dir.resolve("x.json"), "10.244.2.0")).hasMessageContaining("needs an IPv4 prefix");
        assertThatThrownBy(() -> new Ipam(dir.resolve("x.json"), "fd00::/64")).hasMessageContaining("not an IPv4 address");
    }
}
