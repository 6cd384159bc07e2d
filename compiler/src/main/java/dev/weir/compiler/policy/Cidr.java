package dev.weir.compiler.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.0/8}. Host bits after the prefix are cleared, as the API
 * server's parser does ({@code 10.1.2.3/8} means {@code 10.0.0.0/8}).
 *
 * <p>Stricter than the API server's legacy parser on purpose: IPv4 octets with leading zeros (octal to some
 * parsers, decimal to others) and IPv4-mapped IPv6 addresses are refused rather than guessed at.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be between 0 and " + bits);
        }
        network = masked(network, prefixLength);
    }

    /** Parses {@code address/prefix}; the message of the exception says what is wrong. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
        InetAddress address = parseAddress(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)
                || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
            throw new IllegalArgumentException("must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /** Parses a single IPv4 or IPv6 address, as strictly as {@link #parse}. */
    public static InetAddress parseAddress(String text) {
        if (text.contains(":")) {
            try {
                InetAddress address = Inet6Address.ofLiteral(text);
                if (address instanceof Inet4Address) {
                    throw new IllegalArgumentException("must not be an IPv4-mapped IPv6 address");
                }
                return address;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("must")) {
                    throw e;
                }
                throw new IllegalArgumentException("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String octet = octets[i];
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                throw new IllegalArgumentException("must not have leading 0s in IPv4 octets (ambiguous: octal or decimal)");
            }
            int value = Integer.parseInt(octet);
            if (value > 255) {
                throw new IllegalArgumentException("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /** Whether the address is in this prefix; an address of the other IP family never is. */
    public boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        return masked(address, prefixLength).equals(network);
    }

    /** Whether {@code other} is inside this prefix and smaller, as ipBlock.except must be. */
    public boolean strictlyContains(Cidr other) {
        return contains(other.network) && other.prefixLength > prefixLength;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        byte[] result = Arrays.copyOf(bytes, bytes.length);
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(result);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte array is always an address", e);
        }
    }
}
