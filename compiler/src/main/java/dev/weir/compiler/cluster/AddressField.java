package dev.weir.compiler.cluster;

/**
 * One address field of a Service or an EndpointSlice, read as the API server validates it: a valid IP (as
 * strictly as {@link Ipv4#parse}: no leading zeros) and, for external IPs and endpoints, not in one of the special
 * ranges of upstream's validateNonSpecialIP, which no packet could usefully be sent to.
 */
sealed interface AddressField {

    record V4(int address) implements AddressField {}

    /** A valid IPv6 address; what to say about it is the caller's business. */
    record V6(String text) implements AddressField {}

    record Invalid(String problem) implements AddressField {}

    static AddressField read(String text, boolean nonSpecial) {
        if (text == null) return new Invalid(FieldErrors.REQUIRED);
        int address;
        try {
            var ipv4 = Ipv4.parse(text);
            if (ipv4.isEmpty()) return new V6(text);
            address = ipv4.get();
        } catch (IllegalArgumentException e) {
            return new Invalid(FieldErrors.invalid(text, e.getMessage()));
        }
        String special = nonSpecial ? specialRange(address) : null;
        return special == null ? new V4(address) : new Invalid(FieldErrors.invalid(text, special));
    }

    private static String specialRange(int address) {
        if (address == 0) return "may not be unspecified (0.0.0.0)";
        if (address >>> 24 == 127) return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
        if (address >>> 16 == 0xa9fe) return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
        if (address >>> 8 == 0xe00000) return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";
        return null;
    }

    /** What a Service's IPv6 address is refused with: the datapath is IPv4 only, for now. */
    String IPV6_NOT_SUPPORTED = "IPv6 is not supported yet";
}
