package dev.weir.compiler.abi;

import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The maps every Weir policy program uses, their layouts and key encoders. The programs name them by index
 * in {@link #NAMES} order (BPF_PSEUDO_MAP_IDX), so the same bytecode loads into the interpreter and the kernel.
 *
 * <ul>
 *   <li>{@value #IPCACHE}: pod IPv4 address (network order) to identity: an exact hash, the fast path.
 *   <li>{@value #PREFIXES}: LPM trie of every ipBlock cidr and except, to the prefix's identity; only programs
 *       with ipBlock peers look here.
 *   <li>{@value #ROWS}: array indexed by identity: the row of selector bits the identity matches (pod
 *       selectors for pod identities, ipBlocks for prefix identities).
 *   <li>{@value #NAMED_PORTS}: {pod address, port-name id, protocol, port} for every named container port
 *       policies mention: named ports resolve on the destination pod.
 *   <li>{@value #CONNTRACK}: LRU hash of connections, keyed by the normalised 5-tuple, valued by which hooks
 *       allowed them (see the codegen package).
 *   <li>{@value #ENDPOINTS}: the node's pods by host-side interface (an array slot per ifindex modulo 65,536):
 *       the ifindex, their address and identity.
 *       The agent fills it when the CNI plugin wires a pod (the compiler cannot know interfaces); the
 *       simulator sets the entry of the pod whose hook it runs.
 *   <li>{@value #VERDICTS}: per endpoint slot (as {@value #ENDPOINTS}), the packets its hooks passed and
 *       dropped, two 64-bit counters the programs add to atomically; the agent reads them for its metrics.
 * </ul>
 */
public final class WeirMaps {
    public static final String IPCACHE = "weir_ipcache", PREFIXES = "weir_prefixes", ROWS = "weir_rows",
            NAMED_PORTS = "weir_ports", CONNTRACK = "weir_ct", ENDPOINTS = "weir_endpoints", VERDICTS = "weir_verdicts";
    /** Every map a program's map list holds, in index order: the policy maps, then {@link LbMaps#NAMES}. */
    public static final List<String> NAMES = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(IPCACHE, PREFIXES, ROWS, NAMED_PORTS, CONNTRACK, ENDPOINTS, VERDICTS),
            LbMaps.NAMES.stream()).toList();
    /**
     * The maps whose contents the operator publishes; conntrack, endpoints, verdicts and translations are each
     * node's own, and the Maglev rows each node derives from the Service maps.
     */
    public static final List<String> PUBLISHED = List.of(IPCACHE, PREFIXES, ROWS, NAMED_PORTS, LbMaps.BACKENDS, LbMaps.SERVICES);
    /**
     * The maps a node brings to the published state, in the order it writes them: backends and Maglev rows
     * before the frontends that lead to them (stale entries go in the reverse order).
     */
    public static final List<String> SYNCED = List.of(IPCACHE, PREFIXES, ROWS, NAMED_PORTS, LbMaps.BACKENDS, LbMaps.MAGLEV, LbMaps.SERVICES);
    /**
     * A program in parts has its own program array, slot k holding part k, after the shared maps in its map
     * list (index {@code NAMES.size()}); every part of the program indexes the same one. It is the program's,
     * not the node's: two programs never share one, so swapping a program never mixes another's parts.
     */
    public static final String JUMPS = "weir_jumps";
    /** Parts a program may have: part 0 and one per tail call (the kernel chains at most 33). */
    public static final int MAX_PARTS = 34;
    /**
     * Slots of the endpoint table: an array indexed by the low 16 bits of the interface index (an array lookup
     * is inlined by the verifier, a hash lookup is a call: ~10 ns per packet). Each slot holds the full
     * ifindex, which the program compares; two interfaces of one node whose indexes collide modulo 65,536
     * cannot both be served (the agent must refuse the second).
     */
    public static final int ENDPOINT_SLOTS = 65_536;

    public static final int CT_KEY_SIZE = 16, CT_VALUE_SIZE = 8, NAMED_PORT_KEY_SIZE = 16;

    private WeirMaps() {}

    public static MapRef index(String name) {
        int index = name.equals(JUMPS) ? NAMES.size() : NAMES.indexOf(name);
        if (index < 0) throw new IllegalArgumentException("no Weir map named " + name);
        return new MapRef.Index(index);
    }

    /**
     * The map specs in index order.
     *
     * @param sizes capacities and the row width, each already rounded to its growth step
     */
    private static List<MapSpec> policySpecs(Sizes sizes) {
        return List.of(
                MapSpec.hash(IPCACHE, 4, 4, sizes.addresses()),
                MapSpec.lpmTrie(PREFIXES, 4, 4, sizes.prefixes()),
                MapSpec.array(ROWS, sizes.rowBytes(), sizes.identities()),
                MapSpec.hash(NAMED_PORTS, NAMED_PORT_KEY_SIZE, 4, sizes.namedPorts()),
                new MapSpec(CONNTRACK, MapType.LRU_HASH, CT_KEY_SIZE, CT_VALUE_SIZE, sizes.connections(), 0),
                MapSpec.array(ENDPOINTS, 16, ENDPOINT_SLOTS),
                MapSpec.array(VERDICTS, 16, ENDPOINT_SLOTS));
    }

    /** Every map spec in {@link #NAMES} order: the policy maps, then the load-balancing ones. */
    public static List<MapSpec> specs(Sizes sizes) {
        return java.util.stream.Stream.concat(policySpecs(sizes).stream(), LbMaps.specs(sizes.lb()).stream()).toList();
    }

    /** The program array of a program in parts. */
    public static MapSpec jumps() {
        return new MapSpec(JUMPS, MapType.PROG_ARRAY, 4, 4, MAX_PARTS, 0);
    }

    /** The maps of a program's map list that the node shares (all but a program's own {@value #JUMPS}). */
    public static List<MapSpec> shared(List<MapSpec> programMaps) {
        return programMaps.stream().filter(map -> !map.name().equals(JUMPS)).toList();
    }

    /**
     * @param addresses   ipcache entries (pod addresses)
     * @param prefixes    ipBlock prefixes
     * @param identities  identity numbers (the rows array is indexed by them)
     * @param rowBytes    bytes per row: selector bits / 8
     * @param namedPorts  named-port entries
     * @param connections connection-tracking entries
     * @param lb          the load-balancing maps' (none given, as in numberings kept before Services: their floors)
     */
    public record Sizes(int addresses, int prefixes, int identities, int rowBytes, int namedPorts, int connections, LbMaps.Sizes lb) {
        public Sizes {
            if (lb == null) lb = LbMaps.Sizes.NONE.atLeast(LbMaps.Sizes.NONE);
        }

        /** Room for {@code n}: the next power of two, at least {@code floor}, so small changes keep the layout. */
        public static int room(int n, int floor) {
            int wanted = Math.max(n, floor);
            return wanted <= 1 ? 1 : Integer.highestOneBit(wanted - 1) << 1;
        }
    }

    /** An IPv4 address (host notation int) as it appears in packets and ipcache keys. */
    public static byte[] address(int ipv4) {
        return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(ipv4).array();
    }

    public static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** Endpoint slot of an interface. */
    public static byte[] endpointKey(int ifindex) {
        return u32(ifindex & (ENDPOINT_SLOTS - 1));
    }

    /** Endpoint value: the interface index, the pod's address (network order), its identity, 0 (host order). */
    public static byte[] endpoint(int ifindex, int ipv4, int identity) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(ifindex)
                .order(ByteOrder.BIG_ENDIAN).putInt(ipv4)
                .order(ByteOrder.LITTLE_ENDIAN).putInt(identity).putInt(0).array();
    }

    /** A conntrack value: u32 flags (host order) and 4 zero bytes. */
    public static byte[] u32AndPad(int value) {
        return ByteBuffer.allocate(CT_VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    public static int u32(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** LPM key: prefix length (host order) then the IPv4 prefix (network order). */
    public static byte[] prefixKey(int ipv4, int prefixLength) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixLength)
                .order(ByteOrder.BIG_ENDIAN).putInt(ipv4).array();
    }

    /**
     * Named-port key: {address (network order), name id u16, protocol u8, 0, port u32, 4 zero bytes}, numbers in
     * host order. 16 bytes so the program writes it as two whole 8-byte words (which keeps the verifier's
     * state pruning effective; partial stack writes would not).
     */
    public static byte[] namedPortKey(int ipv4, int nameId, int protocol, int port) {
        return ByteBuffer.allocate(NAMED_PORT_KEY_SIZE).order(ByteOrder.BIG_ENDIAN).putInt(ipv4)
                .order(ByteOrder.LITTLE_ENDIAN).putShort((short) nameId).put((byte) protocol).put((byte) 0)
                .putInt(port).putInt(0).array();
    }

    /**
     * Conntrack key, normalised so both directions of a connection find one entry: {lower address, higher
     * address, port of the lower, port of the higher (network order), protocol, 3 zero bytes}. Addresses
     * compare as the program compares them: the 4 network-order bytes read as a little-endian u32.
     */
    public static byte[] connectionKey(int srcIpv4, int dstIpv4, int srcPort, int dstPort, int protocol) {
        long src = Integer.toUnsignedLong(Integer.reverseBytes(srcIpv4)), dst = Integer.toUnsignedLong(Integer.reverseBytes(dstIpv4));
        boolean srcLow = src <= dst;
        ByteBuffer key = ByteBuffer.allocate(CT_KEY_SIZE).order(ByteOrder.BIG_ENDIAN);
        key.putInt(srcLow ? srcIpv4 : dstIpv4).putInt(srcLow ? dstIpv4 : srcIpv4)
                .putShort((short) (srcLow ? srcPort : dstPort)).putShort((short) (srcLow ? dstPort : srcPort))
                .put((byte) protocol);
        return key.array();
    }
}
