package dev.weir.compiler.compile;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.identity.LabelSet;
import dev.weir.compiler.abi.WeirMaps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Pod churn without recompiling: a pod added, removed, relabelled or readdressed changes only map entries
 * (its ipcache and named-port entries, and a row for a label set never seen before). Programs and the
 * numbering of everything else stay as they are. Falls back (empty result) when the change needs a new map
 * layout, which a full {@link Compiler#compile(ClusterState, CompiledCluster)} then provides.
 */
public final class PodUpdate {

    public record Write(String map, byte[] key, byte[] value) {}

    public record Delete(String map, byte[] key) {}

    /**
     * The map operations to apply, in order (deletes first), and the compiled cluster they lead to.
     *
     * @param forgetConnectionsOf addresses that left their pod: the agent drops their conntrack entries
     *                            ({@link dev.weir.compiler.abi.Conntrack#forget}), so that a pod given the
     *                            address later inherits none of the old pod's connections
     */
    public record Delta(List<Delete> deletes, List<Write> writes, List<Integer> forgetConnectionsOf, CompiledCluster next) {}

    private PodUpdate() {}

    /**
     * @param previous what was compiled before the change
     * @param cluster  the cluster after the change (its policies and namespaces as before)
     * @param ref      the pod that changed (absent from {@code cluster} if it was deleted)
     */
    public static Optional<Delta> podChanged(CompiledCluster previous, ClusterState cluster, PodRef ref) {
        var deletes = new ArrayList<Delete>();
        var writes = new ArrayList<Write>();
        byte[] freedRow = null;
        MapImage image = previous.contents().copy();
        var endpoints = new LinkedHashMap<>(previous.endpoints());
        var podIdentities = new LinkedHashMap<>(previous.identities().pods());

        PodEndpoint before = endpoints.get(ref);
        Integer newAddress = cluster.pod(ref).map(pod -> ipv4(pod.ip())).orElse(null);
        if (shared(previous, ref, before == null ? null : before.ipv4()) || shared(previous, ref, newAddress)) {
            return Optional.empty(); // an address two pods claim: a full compile decides (neither gets it)
        }
        endpoints.remove(ref);
        if (before != null && before.ipv4() != null) {
            byte[] address = WeirMaps.address(before.ipv4());
            deletes.add(new Delete(WeirMaps.IPCACHE, address));
            byte[] from = Arrays.copyOf(address, WeirMaps.NAMED_PORT_KEY_SIZE);
            byte[] to = Arrays.copyOf(WeirMaps.address(before.ipv4() + 1), WeirMaps.NAMED_PORT_KEY_SIZE);
            var named = before.ipv4() == -1 ? image.entries(WeirMaps.NAMED_PORTS).tailMap(from, true)
                    : image.entries(WeirMaps.NAMED_PORTS).subMap(from, true, to, false);
            named.keySet().forEach(key -> deletes.add(new Delete(WeirMaps.NAMED_PORTS, key)));
        }
        Optional<ClusterPod> after = cluster.pod(ref);
        Integer keeps = after.map(pod -> podIdentities.get(LabelSet.of(pod, cluster.namespace(pod.namespace()).orElseThrow()))).orElse(null);
        if (before != null && !Integer.valueOf(before.identity()).equals(keeps)
                && endpoints.values().stream().noneMatch(e -> e.identity() == before.identity())) {
            // The last pod of its label set left: free the identity, as a full compile would (its number is
            // retired for this generation). Array elements cannot be deleted: the row is zeroed.
            podIdentities.values().removeIf(n -> n == before.identity());
            writes.add(new Write(WeirMaps.ROWS, WeirMaps.u32(before.identity()), new byte[previous.sizes().rowBytes()]));
            freedRow = WeirMaps.u32(before.identity());
        }
        if (after.isPresent()) {
            ClusterPod pod = after.get();
            ClusterNamespace namespace = cluster.namespace(pod.namespace()).orElseThrow();
            LabelSet labels = LabelSet.of(pod, namespace);
            Integer identity = podIdentities.get(labels);
            if (identity == null) {
                identity = freeIdentity(previous.identities(), podIdentities.values());
                if (identity >= previous.sizes().identities()) {
                    return Optional.empty(); // the rows array must grow: a new layout
                }
                podIdentities.put(labels, identity);
                byte[] row = new byte[previous.sizes().rowBytes()];
                byte[] bits = new Rows(previous.bits()).of(labels).toByteArray();
                System.arraycopy(bits, 0, row, 0, bits.length);
                writes.add(new Write(WeirMaps.ROWS, WeirMaps.u32(identity), row));
            }
            Integer ipv4 = ipv4(pod.ip());
            endpoints.put(ref, new PodEndpoint(ref, ipv4, identity));
            if (ipv4 != null) {
                writes.add(new Write(WeirMaps.IPCACHE, WeirMaps.address(ipv4), WeirMaps.u32(identity)));
                for (PodPort port : pod.ports()) {
                    Integer nameId = port.name() == null ? null : previous.bits().names().get(port.name());
                    if (nameId != null) {
                        writes.add(new Write(WeirMaps.NAMED_PORTS,
                                WeirMaps.namedPortKey(ipv4, nameId, port.protocol().number, port.number()), WeirMaps.u32(1)));
                    }
                }
            }
        }
        if (image.size(WeirMaps.IPCACHE) + 1 > previous.sizes().addresses()
                || image.size(WeirMaps.NAMED_PORTS) + writes.size() > previous.sizes().namedPorts()) {
            return Optional.empty();
        }
        deletes.forEach(d -> image.remove(d.map(), d.key()));
        writes.forEach(w -> image.put(w.map(), w.key(), w.value()));
        if (freedRow != null) {
            image.remove(WeirMaps.ROWS, freedRow); // a full compile lists no row for an unused identity
        }
        Identities identities = new Identities(podIdentities, previous.identities().prefixes());
        CompiledCluster next = new CompiledCluster(identities, previous.bits(), previous.sizes(), previous.maps(), image,
                previous.programs(), previous.namespaces(), endpoints, previous.problems(), previous.warnings(),
                previous.hostAddresses(), previous.services()); // EndpointSlices, not pods, change Services
        Integer oldAddress = before == null ? null : before.ipv4();
        List<Integer> forget = oldAddress != null && !oldAddress.equals(endpoints.get(ref) == null ? null : endpoints.get(ref).ipv4())
                ? List.of(oldAddress) : List.of();
        return Optional.of(new Delta(deletes, writes, forget, next));
    }

    /** Whether another pod than {@code ref} has {@code ipv4}. */
    private static boolean shared(CompiledCluster previous, PodRef ref, Integer ipv4) {
        if (ipv4 == null) return false;
        for (PodEndpoint other : previous.endpoints().values()) {
            if (ipv4.equals(other.ipv4()) && !other.pod().equals(ref)) return true;
        }
        return false;
    }

    /** The smallest number in use neither now nor in {@code previous} (numbers freed now are retired). */
    private static int freeIdentity(Identities previous, java.util.Collection<Integer> pods) {
        var used = new HashSet<Integer>(pods);
        used.addAll(previous.pods().values());
        used.addAll(previous.prefixes().values());
        int n = Identities.FIRST;
        while (used.contains(n)) n++;
        return n;
    }

    private static Integer ipv4(String ip) {
        return ip == null ? null : Ipv4.parse(ip).orElse(null);
    }
}
