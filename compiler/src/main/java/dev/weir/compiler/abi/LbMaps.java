package dev.weir.compiler.abi;

import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The load-balancing maps: what a pod's egress program reads to translate a connection to a Service
 * address into one to a backend, and what its ingress program reads to translate the replies back. Addresses
 * and ports are in network order throughout, as the packet has them; counts and ids in host order.
 *
 * <ul>
 *   <li>{@value #SERVICES}: hash, frontend {address, port, protocol, 0} to the Service port's
 *       {id, backend count, flags, affinity seconds, first backend id}. A frontend with no backend refuses
 *       connections.
 *   <li>{@value #BACKENDS}: array, backend id to {address, port, 0}; a Service port's backends have
 *       consecutive ids, from its first.
 *   <li>{@value #MAGLEV}: array, Service port id to its Maglev row: {@link Sizes#maglev()} backend ids, one
 *       per slot; a connection's slot is its 5-tuple hash modulo the row length. The rows follow from the
 *       other two maps ({@code compile.MaglevRows}): 64 KiB per Service port at Cilium's default
 *       length, which a node computes rather than anyone publishing it.
 *   <li>{@value #NAT}: LRU hash of translations, the node's own (never published). Key {source, destination,
 *       source port, destination port, protocol, kind, 0, 0}; kind {@link #FORWARD} (client to Service address)
 *       holds the backend {address, port, 0, backend id, 0} the connection keeps, so every later packet of a
 *       flow goes where its first went even when the Maglev row changes; kind {@link #REVERSE} (backend to
 *       client, the reply's own tuple) holds the Service {address, port} the reply is rewritten to come from.
 *   <li>{@value #AFFINITY}: LRU hash, the node's own: {client address, Service port id} to {backend id, 0,
 *       last use (ns, bpf_ktime_get_ns)}, for Service ports with ClientIP session affinity.
 * </ul>
 */
public final class LbMaps {
    public static final String SERVICES = "weir_lb_svc", BACKENDS = "weir_lb_be", MAGLEV = "weir_lb_maglev", NAT = "weir_lb_nat",
            AFFINITY = "weir_lb_aff";
    public static final List<String> NAMES = List.of(SERVICES, BACKENDS, MAGLEV, NAT, AFFINITY);

    public static final int SERVICE_KEY_SIZE = 8, SERVICE_VALUE_SIZE = 16, BACKEND_VALUE_SIZE = 8,
            NAT_KEY_SIZE = 16, NAT_VALUE_SIZE = 16, AFFINITY_KEY_SIZE = 8, AFFINITY_VALUE_SIZE = 16;
    /** Translation kinds in a {@value #NAT} key. */
    public static final int FORWARD = 1, REVERSE = 2;
    /** Service flags: ClientIP session affinity. */
    public static final int FLAG_AFFINITY = 1;
    /** Cilium's default Maglev row length, a prime: one backend leaving moves about 1/N of the flows. */
    public static final int DEFAULT_MAGLEV = dev.weir.compiler.services.Maglev.DEFAULT_SIZE;

    private LbMaps() {}

    /**
     * @param services     Service ports (rows of {@value #MAGLEV})
     * @param frontends    entries of {@value #SERVICES}
     * @param backends     entries of {@value #BACKENDS}
     * @param maglev       slots per Maglev row, a prime
     * @param translations entries of {@value #NAT} (two per connection)
     */
    public record Sizes(int services, int frontends, int backends, int maglev, int translations) {
        public static final Sizes NONE = new Sizes(0, 0, 0, DEFAULT_MAGLEV, 0);

        /** At least room for {@code wanted}, never smaller than before (so small changes keep the layout). */
        public Sizes atLeast(Sizes wanted) {
            return new Sizes(Math.max(services, WeirMaps.Sizes.room(wanted.services, 16)),
                    Math.max(frontends, WeirMaps.Sizes.room(wanted.frontends, 64)),
                    Math.max(backends, WeirMaps.Sizes.room(wanted.backends, 64)),
                    wanted.maglev,
                    Math.max(translations, WeirMaps.Sizes.room(wanted.translations, 65_536)));
        }
    }

    /** The map specs in {@link #NAMES} order. */
    public static List<MapSpec> specs(Sizes sizes) {
        return List.of(
                MapSpec.hash(SERVICES, SERVICE_KEY_SIZE, SERVICE_VALUE_SIZE, sizes.frontends()),
                MapSpec.array(BACKENDS, BACKEND_VALUE_SIZE, sizes.backends()),
                MapSpec.array(MAGLEV, 4 * sizes.maglev(), sizes.services()),
                new MapSpec(NAT, MapType.LRU_HASH, NAT_KEY_SIZE, NAT_VALUE_SIZE, sizes.translations(), 0),
                new MapSpec(AFFINITY, MapType.LRU_HASH, AFFINITY_KEY_SIZE, AFFINITY_VALUE_SIZE, sizes.translations() / 2, 0));
    }

    /** Frontend key: {address, port (network order), protocol, 0}. */
    public static byte[] serviceKey(int ipv4, int port, int protocol) {
        return ByteBuffer.allocate(SERVICE_KEY_SIZE).order(ByteOrder.BIG_ENDIAN)
                .putInt(ipv4).putShort((short) port).put((byte) protocol).put((byte) 0).array();
    }

    /** Frontend value: {Service port id, backend count (u16), flags (u16), affinity seconds, first backend id}, host order. */
    public static byte[] serviceValue(int id, int backends, int flags, int affinitySeconds, int firstBackend) {
        return ByteBuffer.allocate(SERVICE_VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(id).putShort((short) backends).putShort((short) flags).putInt(affinitySeconds).putInt(firstBackend).array();
    }

    /** A frontend value, read back. */
    public record ServiceEntry(int id, int backends, int flags, int affinitySeconds, int firstBackend) {
        public static ServiceEntry of(byte[] value) {
            ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            return new ServiceEntry(buffer.getInt(), Short.toUnsignedInt(buffer.getShort()), Short.toUnsignedInt(buffer.getShort()),
                    buffer.getInt(), buffer.getInt());
        }
    }

    /** Backend value: {address, port (network order), 0}. */
    public static byte[] backendValue(int ipv4, int port) {
        return ByteBuffer.allocate(BACKEND_VALUE_SIZE).order(ByteOrder.BIG_ENDIAN).putInt(ipv4).putShort((short) port).array();
    }

    /** A backend value, read back: address and port (network order). */
    public record BackendEntry(int ipv4, int port) {
        public static BackendEntry of(byte[] value) {
            ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN);
            return new BackendEntry(buffer.getInt(), Short.toUnsignedInt(buffer.getShort()));
        }
    }

    /** A Maglev row: each slot's backend id, host order. */
    public static byte[] maglevRow(int[] backendIds) {
        ByteBuffer row = ByteBuffer.allocate(4 * backendIds.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : backendIds) row.putInt(id);
        return row.array();
    }

    /** Affinity key: {client address (network order), Service port id (host order)}. */
    public static byte[] affinityKey(int clientIpv4, int service) {
        return ByteBuffer.allocate(AFFINITY_KEY_SIZE).order(ByteOrder.BIG_ENDIAN).putInt(clientIpv4)
                .order(ByteOrder.LITTLE_ENDIAN).putInt(service).array();
    }

    /** A translation's key, the tuple of the packet it applies to. */
    public static byte[] natKey(int srcIpv4, int dstIpv4, int srcPort, int dstPort, int protocol, int kind) {
        return ByteBuffer.allocate(NAT_KEY_SIZE).order(ByteOrder.BIG_ENDIAN).putInt(srcIpv4).putInt(dstIpv4)
                .putShort((short) srcPort).putShort((short) dstPort).put((byte) protocol).put((byte) kind).array();
    }

    /** What a translation rewrites to: an address and port (network order), and for a forward one its backend id. */
    public record Translation(int ipv4, int port, int backendId) {
        public static Translation of(byte[] value) {
            ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN);
            int ipv4 = buffer.getInt();
            int port = Short.toUnsignedInt(buffer.getShort());
            buffer.getShort();
            return new Translation(ipv4, port, buffer.order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
    }
}
