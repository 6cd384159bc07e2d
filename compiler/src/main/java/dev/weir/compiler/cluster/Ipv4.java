package dev.weir.compiler.cluster;

import dev.weir.compiler.policy.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/** IPv4 addresses as the datapath holds them: an int in host notation (0x0a000001 = 10.0.0.1). */
public final class Ipv4 {

    private Ipv4() {}

    /** The address, or empty when the text is an IPv6 address; strict parsing as {@link Cidr#parseAddress}. */
    public static Optional<Integer> parse(String text) {
        InetAddress address = Cidr.parseAddress(text);
        return address instanceof Inet4Address ? Optional.of(ByteBuffer.wrap(address.getAddress()).getInt()) : Optional.empty();
    }

    public static String text(int ipv4) {
        return (ipv4 >>> 24) + "." + ((ipv4 >>> 16) & 0xff) + "." + ((ipv4 >>> 8) & 0xff) + "." + (ipv4 & 0xff);
    }
}
