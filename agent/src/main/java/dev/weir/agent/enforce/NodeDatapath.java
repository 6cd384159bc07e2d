package dev.weir.agent.enforce;

import dev.weir.agent.cni.Endpoints;
import dev.weir.agent.network.PodNetwork;
import dev.weir.compiler.maps.Conntrack;
import dev.weir.compiler.maps.WeirMaps;
import dev.weir.crds.WeirNode;
import dev.weir.datapath.kernel.AttachType;
import dev.weir.datapath.kernel.Bpffs;
import dev.weir.datapath.kernel.KernelLink;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.MapEntry;
import dev.weir.datapath.kernel.ProgramChain;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.kernel.VerifierException;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * What the kernel of this node runs: Weir's maps, the programs the node's pods name, and on each pod's
 * host-side interface two tcx links (from the pod: tc ingress; to the pod: tc egress), all pinned under
 * one bpffs folder so enforcement outlives the agent. A new state is applied in the order that never shows
 * a packet half of it: new and changed map entries first, then the programs swapped link by link
 * (LINK_UPDATE, atomic), then stale entries removed. A pod whose policy is not known yet (just added, or
 * its program refused by every check) runs the pending programs: fail closed, but for the node's own
 * addresses (the kubelet's probes).
 */
public final class NodeDatapath implements Endpoints, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeDatapath.class.getName());
    private static final String FROM_POD = "from-pod", TO_POD = "to-pod", DENY = "pending", JUMPS = "jumps";
    private static final List<String> PUBLISHED = List.of(WeirMaps.IPCACHE, WeirMaps.PREFIXES, WeirMaps.ROWS, WeirMaps.NAMED_PORTS);

    /** One pod interface and its two hooks. */
    private static final class Endpoint {
        final String hostInterface;
        final int ifindex;
        int address; // 0 when adopted from pins and not yet matched to a pod
        KernelLink fromPod;
        KernelLink toPod;
        String fromPodProgram; // content address, or DENY (the pending programs), or null when adopted
        String toPodProgram;

        Endpoint(String hostInterface, int ifindex, int address) {
            this.hostInterface = hostInterface;
            this.ifindex = ifindex;
            this.address = address;
        }
    }

    /** What an apply did, for logs, metrics and the node's status. */
    public record Applied(long generation, int endpointsEnforced, int endpointsDenied, Map<String, String> refused) {}

    private final Path pins;
    private final PodNetwork network;
    private final Map<String, Endpoint> endpoints = new TreeMap<>();
    private final Map<String, ProgramChain> programs = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong attachFailures = new java.util.concurrent.atomic.AtomicLong();
    private List<KernelMap> maps = List.of();
    private KernelProgram pendingFromPod;
    private KernelProgram pendingToPod;
    private List<Integer> pendingAddresses;
    private VerifiedNode current;

    /**
     * Adopts what an earlier agent pinned under {@code pins}: links of interfaces that still exist and the
     * maps (their entries, conntrack included, stay). Nothing is changed until a state is applied.
     */
    public NodeDatapath(Path pins, PodNetwork network) {
        this.pins = pins;
        this.network = network;
        adopt();
    }

    /** The generation running, 0 before the first. */
    public synchronized long generation() {
        return current == null ? 0 : current.generation();
    }

    public synchronized Applied apply(VerifiedNode desired) {
        boolean newMaps = !desired.layout().isEmpty() && !desired.layout().equals(maps.stream().map(KernelMap::spec).toList());
        List<KernelMap> target = newMaps ? createMaps(desired.layout()) : maps;
        var loadedNow = new HashMap<String, ProgramChain>();
        var refusedNow = new LinkedHashMap<>(desired.refused());
        try {
            // 1. New and changed entries (the programs running now ignore what they do not reference).
            // A state naming no program (no pod on the node) carries no layout: the maps are left as they are.
            boolean contents = !desired.layout().isEmpty();
            var stale = new HashMap<String, List<byte[]>>();
            for (String name : contents ? PUBLISHED : List.<String>of()) {
                KernelMap map = named(target, name);
                if (map != null) stale.put(name, upsert(map, desired.contents().getOrDefault(name, emptyContents())));
            }
            if (newMaps) copyConnections(named(maps, WeirMaps.CONNTRACK), named(target, WeirMaps.CONNTRACK));
            // 2. Programs: load what is new (the kernel verifier runs here); refusals keep the old ones.
            for (Map.Entry<String, List<ProgramSpec>> entry : desired.programs().entrySet()) {
                if (!newMaps && programs.containsKey(entry.getKey())) continue;
                try {
                    loadedNow.put(entry.getKey(), load(entry.getValue(), target));
                } catch (VerifierException | IllegalArgumentException e) {
                    refusedNow.put(entry.getKey(), e.getMessage());
                    LOG.warning("program " + entry.getKey() + " refused by the kernel: " + firstLine(e.getMessage()));
                }
            }
            desired.refused().forEach((name, why) -> LOG.warning("program " + name + " refused: " + why));
            Map<String, ProgramChain> usable = new HashMap<>(newMaps ? Map.of() : programs);
            usable.putAll(loadedNow);
            // 3. Endpoints: slot entries, then each interface's hooks swapped.
            boolean pendingChanged = refreshPending(desired.addresses());
            forgetVanishedInterfaces();
            KernelMap endpointTable = named(target, WeirMaps.ENDPOINTS);
            int enforced = 0, denied = 0;
            for (Endpoint endpoint : endpoints.values()) {
              try {
                WeirNode.Pod pod = desired.pods().get(endpoint.hostInterface);
                boolean known = pod != null && (endpoint.address == 0 || endpoint.address == address(pod))
                        && usable.containsKey(pod.egressProgram()) && usable.containsKey(pod.ingressProgram());
                if (known) {
                    endpoint.address = address(pod);
                    if (endpointTable != null) endpointTable.update(WeirMaps.endpointKey(endpoint.ifindex),
                            WeirMaps.endpoint(endpoint.ifindex, endpoint.address, pod.identity()), 0);
                    hook(endpoint, usable.get(pod.egressProgram()).entry(), pod.egressProgram(), usable.get(pod.ingressProgram()).entry(), pod.ingressProgram(), newMaps);
                    enforced++;
                } else if (pod != null && endpoint.fromPod != null && endpoint.toPod != null && !DENY.equals(endpoint.fromPodProgram)
                        && (refusedNow.containsKey(pod.egressProgram()) || refusedNow.containsKey(pod.ingressProgram())) && !newMaps) {
                    enforced++; // its new program was refused: it keeps the one it runs
                } else {
                    hook(endpoint, pending(true), DENY, pending(false), DENY, pendingChanged);
                    denied++;
                }
              } catch (RuntimeException e) {
                // One interface (gone meanwhile, or refused by the kernel) does not hold up the others.
                attachFailures.incrementAndGet();
                LOG.warning("endpoint " + endpoint.hostInterface + ": " + e.getMessage());
                denied++;
              }
            }
            // 4. Stale entries, now that no program needs them; connections of addresses that left.
            for (String name : contents ? PUBLISHED : List.<String>of()) {
                KernelMap map = named(target, name);
                if (map != null) remove(map, stale.get(name));
            }
            if (current != null && !newMaps && contents) forgetConnections(current, desired, named(target, WeirMaps.CONNTRACK));
            clearUnusedSlots(endpointTable);
            if (newMaps) replaceMaps(target);
            // 5. Programs no hook runs are released.
            programs.putAll(loadedNow);
            current = desired;
            retainUsed();
            return new Applied(desired.generation(), enforced, denied, Map.copyOf(refusedNow));
        } catch (RuntimeException e) {
            if (newMaps) target.forEach(KernelMap::close);
            loadedNow.values().forEach(this::release);
            throw e;
        }
    }

    @Override
    public synchronized void added(LocalPod pod) {
        PodNetwork.Wiring wiring = pod.wiring();
        for (Endpoint other : endpoints.values()) {
            if (!other.hostInterface.equals(wiring.hostInterface()) && (other.ifindex & 0xffff) == (wiring.hostIfindex() & 0xffff)) {
                // One endpoint slot per ifindex modulo 65,536: refused, the runtime's retry gets a new ifindex.
                throw new IllegalStateException("interface " + wiring.hostInterface() + " (ifindex " + wiring.hostIfindex()
                        + ") shares its endpoint slot with " + other.hostInterface + " (ifindex " + other.ifindex + ")");
            }
        }
        Endpoint endpoint = endpoints.get(wiring.hostInterface());
        if (endpoint == null || endpoint.ifindex != wiring.hostIfindex()) {
            if (endpoint != null) release(endpoint);
            endpoint = new Endpoint(wiring.hostInterface(), wiring.hostIfindex(), wiring.address());
            endpoints.put(wiring.hostInterface(), endpoint);
        }
        endpoint.address = wiring.address();
        WeirNode.Pod known = current == null ? null : current.pods().get(wiring.hostInterface());
        KernelMap endpointTable = named(maps, WeirMaps.ENDPOINTS);
        if (known != null && address(known) == wiring.address() && programs.containsKey(known.egressProgram())
                && programs.containsKey(known.ingressProgram()) && endpointTable != null) {
            endpointTable.update(WeirMaps.endpointKey(endpoint.ifindex), WeirMaps.endpoint(endpoint.ifindex, endpoint.address, known.identity()), 0);
            hook(endpoint, programs.get(known.egressProgram()).entry(), known.egressProgram(), programs.get(known.ingressProgram()).entry(), known.ingressProgram(), false);
        } else {
            hook(endpoint, pending(true), DENY, pending(false), DENY, false);
        }
    }

    @Override
    public synchronized void removed(String hostInterface) {
        Endpoint endpoint = endpoints.remove(hostInterface);
        if (endpoint != null) {
            KernelMap endpointTable = named(maps, WeirMaps.ENDPOINTS);
            if (endpointTable != null && !slotUsedByOther(endpoint)) endpointTable.update(WeirMaps.endpointKey(endpoint.ifindex), new byte[16], 0);
            release(endpoint);
        }
        deleteQuietly(pins.resolve("links").resolve(hostInterface));
    }

    @Override
    public synchronized String notReadyBecause() {
        return null; // pods can always be added: they are denied until their policy arrives
    }

    /** What each endpoint runs: host interface to "from-pod program / to-pod program" (content addresses or "deny"). */
    public synchronized Map<String, String> hooks() {
        var hooks = new TreeMap<String, String>();
        endpoints.values().forEach(e -> hooks.put(e.hostInterface, e.fromPodProgram + " / " + e.toPodProgram));
        return hooks;
    }

    /** A pod interface's counters: packets its hooks passed and dropped, from weir_verdicts. */
    public record Verdicts(String hostInterface, String pod, long passed, long dropped) {}

    /** Every endpoint's counters (zero for one that runs only the deny program, which counts nothing). */
    public synchronized List<Verdicts> verdicts() {
        KernelMap counters = named(maps, WeirMaps.VERDICTS);
        var out = new ArrayList<Verdicts>();
        for (Endpoint endpoint : endpoints.values()) {
            long passed = 0, dropped = 0;
            if (counters != null) {
                var value = counters.lookup(WeirMaps.endpointKey(endpoint.ifindex));
                if (value.isPresent()) {
                    var buffer = java.nio.ByteBuffer.wrap(value.get()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    passed = buffer.getLong(0);
                    dropped = buffer.getLong(8);
                }
            }
            WeirNode.Pod pod = current == null ? null : current.pods().get(endpoint.hostInterface);
            out.add(new Verdicts(endpoint.hostInterface, pod == null ? "" : pod.namespace() + "/" + pod.name(), passed, dropped));
        }
        return out;
    }

    /** The kernel map named {@code name}, for tests and metrics (null before a state is applied). */
    public synchronized KernelMap map(String name) {
        return named(maps, name);
    }

    /** Hooks that could not be attached or swapped, since the start. */
    public long attachFailures() {
        return attachFailures.get();
    }

    public synchronized int programsLoaded() {
        return programs.size();
    }

    /** Closes descriptors only: the pins keep enforcement in place for the next agent. */
    @Override
    public synchronized void close() {
        for (Endpoint endpoint : endpoints.values()) {
            if (endpoint.fromPod != null) endpoint.fromPod.close();
            if (endpoint.toPod != null) endpoint.toPod.close();
        }
        endpoints.clear();
        programs.values().forEach(ProgramChain::close);
        programs.clear();
        if (pendingFromPod != null) pendingFromPod.close();
        if (pendingToPod != null) pendingToPod.close();
        maps.forEach(KernelMap::close);
        maps = List.of();
    }

    /** Removes every pin and detaches every hook: uninstalling Weir from the node. */
    public synchronized void uninstall() {
        for (Endpoint endpoint : List.copyOf(endpoints.values())) removed(endpoint.hostInterface);
        close();
        deleteQuietly(pins);
    }

    // ---- hooks

    private void hook(Endpoint endpoint, KernelProgram fromPod, String fromPodName, KernelProgram toPod, String toPodName, boolean force) {
        Path folder = pins.resolve("links").resolve(endpoint.hostInterface);
        if (endpoint.fromPod == null) {
            endpoint.fromPod = attach(fromPod, endpoint.ifindex, AttachType.TCX_INGRESS);
            pin(endpoint.fromPod, folder.resolve(FROM_POD));
        } else if (force || !fromPodName.equals(endpoint.fromPodProgram)) {
            endpoint.fromPod.update(fromPod);
        }
        endpoint.fromPodProgram = fromPodName;
        if (endpoint.toPod == null) {
            endpoint.toPod = attach(toPod, endpoint.ifindex, AttachType.TCX_EGRESS);
            pin(endpoint.toPod, folder.resolve(TO_POD));
        } else if (force || !toPodName.equals(endpoint.toPodProgram)) {
            endpoint.toPod.update(toPod);
        }
        endpoint.toPodProgram = toPodName;
    }

    private KernelLink attach(KernelProgram program, int ifindex, AttachType hook) {
        return network.inNode(() -> KernelLink.attachTcx(program, ifindex, hook));
    }

    private void release(Endpoint endpoint) {
        if (endpoint.fromPod != null) endpoint.fromPod.close();
        if (endpoint.toPod != null) endpoint.toPod.close();
        deleteQuietly(pins.resolve("links").resolve(endpoint.hostInterface));
    }

    /** The pending program of a hook (for the node's addresses as last refreshed; none known: drop everything). */
    private KernelProgram pending(boolean fromPod) {
        if (pendingFromPod == null) refreshPending(List.of());
        return fromPod ? pendingFromPod : pendingToPod;
    }

    /** Loads the pending programs for {@code nodeAddresses} when they differ from the loaded ones; true if so. */
    private boolean refreshPending(List<String> nodeAddresses) {
        List<Integer> addresses = nodeAddresses.stream().map(dev.weir.compiler.cluster.Ipv4::parse)
                .flatMap(java.util.Optional::stream).sorted().toList();
        if (addresses.equals(pendingAddresses)) return false;
        KernelProgram fromPod = KernelProgram.load(PendingProgram.spec(true, addresses));
        KernelProgram toPod;
        try {
            toPod = KernelProgram.load(PendingProgram.spec(false, addresses));
        } catch (RuntimeException e) {
            fromPod.close();
            throw e;
        }
        // Links running the old ones keep them alive until they are swapped.
        if (pendingFromPod != null) pendingFromPod.close();
        if (pendingToPod != null) pendingToPod.close();
        pendingFromPod = fromPod;
        pendingToPod = toPod;
        pendingAddresses = addresses;
        return true;
    }

    private void forgetVanishedInterfaces() {
        for (Endpoint endpoint : List.copyOf(endpoints.values())) {
            OptionalInt now = network.hostIfindex(endpoint.hostInterface);
            if (now.isEmpty() || now.getAsInt() != endpoint.ifindex) {
                LOG.info("interface " + endpoint.hostInterface + " is gone: releasing its hooks");
                endpoints.remove(endpoint.hostInterface);
                release(endpoint);
            }
        }
    }

    private void retainUsed() {
        var used = new java.util.HashSet<String>();
        endpoints.values().forEach(e -> {
            used.add(e.fromPodProgram);
            used.add(e.toPodProgram);
        });
        if (current != null) used.addAll(current.programs().keySet());
        programs.entrySet().removeIf(entry -> {
            if (used.contains(entry.getKey())) return false;
            release(entry.getValue());
            return true;
        });
        // Program arrays an earlier agent pinned serve links this one has not swapped yet; once every link
        // runs a program of ours, they serve nothing.
        if (endpoints.values().stream().noneMatch(e -> e.fromPodProgram == null || e.toPodProgram == null)) {
            var ours = new java.util.HashSet<Path>();
            programs.values().forEach(chain -> { if (chain.jumps() != null) ours.add(jumpsPin(chain)); });
            try (Stream<Path> pinned = Files.isDirectory(pins.resolve(JUMPS)) ? Files.list(pins.resolve(JUMPS)) : Stream.empty()) {
                pinned.filter(pin -> !ours.contains(pin)).forEach(NodeDatapath::deleteQuietly);
            } catch (IOException e) {
                LOG.warning("cannot list " + pins.resolve(JUMPS) + ": " + e.getMessage());
            }
        }
    }

    /**
     * Loads a program and its parts. A program in parts tail-calls through its own program array, which the
     * kernel empties when the last descriptor or pin of it goes: it is pinned, so the links running the
     * program keep working after this agent stops (and until the next one has swapped them).
     */
    private ProgramChain load(List<ProgramSpec> parts, List<KernelMap> maps) {
        ProgramChain chain = ProgramChain.load(parts, maps);
        if (chain.jumps() != null) {
            try {
                pin(chain.jumps(), jumpsPin(chain));
            } catch (RuntimeException e) {
                chain.close();
                throw e;
            }
        }
        return chain;
    }

    private Path jumpsPin(ProgramChain chain) {
        // Named by the array's kernel id too: a new agent loads the same program again beside the old one.
        return pins.resolve(JUMPS).resolve(chain.entry().name() + "-" + chain.jumps().info().id());
    }

    private void release(ProgramChain chain) {
        if (chain.jumps() != null) deleteQuietly(jumpsPin(chain));
        chain.close();
    }

    // ---- maps

    private List<KernelMap> createMaps(List<MapSpec> specs) {
        var created = new ArrayList<KernelMap>();
        try {
            for (MapSpec spec : specs) created.add(KernelMap.create(spec));
            return created;
        } catch (RuntimeException e) {
            created.forEach(KernelMap::close);
            throw e;
        }
    }

    /** The new maps take the old ones' pins; programs bound to the old ones were all swapped already. */
    private void replaceMaps(List<KernelMap> created) {
        programs.values().forEach(this::release);
        programs.clear();
        maps.forEach(KernelMap::close);
        Path folder = pins.resolve("maps");
        deleteQuietly(folder);
        for (KernelMap map : created) pin(map, folder.resolve(map.spec().name()));
        maps = created;
    }

    /** Writes what differs; returns the keys the map holds that {@code desired} does not. */
    private static List<byte[]> upsert(KernelMap map, NavigableMap<byte[], byte[]> desired) {
        var existing = new TreeMap<byte[], byte[]>(Arrays::compareUnsigned);
        for (MapEntry entry : map.lookupBatch()) existing.put(entry.key(), entry.value());
        for (Map.Entry<byte[], byte[]> entry : desired.entrySet()) {
            byte[] now = existing.get(entry.getKey());
            if (now == null || !Arrays.equals(now, entry.getValue())) map.update(entry.getKey(), entry.getValue(), 0);
        }
        var stale = new ArrayList<byte[]>();
        boolean array = map.spec().type() == MapType.ARRAY;
        byte[] zero = new byte[map.spec().valueSize()];
        for (Map.Entry<byte[], byte[]> entry : existing.entrySet()) {
            if (!desired.containsKey(entry.getKey()) && !(array && Arrays.equals(entry.getValue(), zero))) stale.add(entry.getKey());
        }
        return stale;
    }

    /** Array slots cannot be deleted (EINVAL): they are zeroed, which the programs read as absent. */
    private static void remove(KernelMap map, List<byte[]> keys) {
        if (keys == null) return;
        boolean array = map.spec().type() == MapType.ARRAY;
        for (byte[] key : keys) {
            if (array) map.update(key, new byte[map.spec().valueSize()], 0);
            else if (map.lookup(key).isPresent()) map.delete(key);
        }
    }

    /** Established connections carry over to a new conntrack map (its key and value never change size). */
    private static void copyConnections(KernelMap from, KernelMap to) {
        if (from == null || to == null) return;
        for (MapEntry entry : from.lookupBatch()) {
            try {
                to.update(entry.key(), entry.value(), 0);
            } catch (RuntimeException e) {
                LOG.warning("a connection did not carry over to the new conntrack map: " + e.getMessage());
                return;
            }
        }
    }

    /** Connections of addresses that left the ipcache or changed identity are forgotten. */
    private static void forgetConnections(VerifiedNode before, VerifiedNode after, KernelMap conntrack) {
        if (conntrack == null) return;
        NavigableMap<byte[], byte[]> old = before.contents().getOrDefault(WeirMaps.IPCACHE, emptyContents());
        NavigableMap<byte[], byte[]> now = after.contents().getOrDefault(WeirMaps.IPCACHE, emptyContents());
        for (Map.Entry<byte[], byte[]> entry : old.entrySet()) {
            byte[] current = now.get(entry.getKey());
            if (current == null || !Arrays.equals(current, entry.getValue())) {
                Conntrack.forget(conntrack, java.nio.ByteBuffer.wrap(entry.getKey()).getInt());
            }
        }
    }

    private void clearUnusedSlots(KernelMap endpointTable) {
        if (endpointTable == null) return;
        var used = new java.util.HashSet<String>();
        endpoints.values().stream().filter(e -> !DENY.equals(e.fromPodProgram))
                .forEach(e -> used.add(HexFormat.of().formatHex(WeirMaps.endpointKey(e.ifindex))));
        byte[] zero = new byte[endpointTable.spec().valueSize()];
        for (MapEntry entry : endpointTable.lookupBatch()) {
            if (!Arrays.equals(entry.value(), zero) && !used.contains(HexFormat.of().formatHex(entry.key()))) {
                endpointTable.update(entry.key(), zero, 0);
            }
        }
    }

    private boolean slotUsedByOther(Endpoint endpoint) {
        return endpoints.values().stream().anyMatch(e -> e != endpoint && (e.ifindex & 0xffff) == (endpoint.ifindex & 0xffff));
    }

    private static NavigableMap<byte[], byte[]> emptyContents() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    private static KernelMap named(List<KernelMap> maps, String name) {
        for (KernelMap map : maps) if (map.spec().name().equals(name)) return map;
        return null;
    }

    private static int address(WeirNode.Pod pod) {
        return dev.weir.compiler.cluster.Ipv4.parse(pod.address()).orElse(-1);
    }

    // ---- pins

    private void adopt() {
        Path mapFolder = pins.resolve("maps");
        if (Files.isDirectory(mapFolder)) {
            var adopted = new ArrayList<KernelMap>();
            for (String name : WeirMaps.NAMES) {
                Path pin = mapFolder.resolve(name);
                if (Files.exists(pin)) adopted.add(KernelMap.openPinned(pin));
            }
            if (adopted.size() == WeirMaps.NAMES.size()) {
                maps = adopted;
            } else {
                adopted.forEach(KernelMap::close); // an incomplete set: built again at the first apply
            }
        }
        Path linkFolder = pins.resolve("links");
        if (!Files.isDirectory(linkFolder)) return;
        try (Stream<Path> folders = Files.list(linkFolder)) {
            for (Path folder : folders.toList()) {
                String hostInterface = folder.getFileName().toString();
                OptionalInt ifindex = network.hostIfindex(hostInterface);
                if (ifindex.isEmpty()) {
                    deleteQuietly(folder); // its interface is gone: the links are defunct
                    continue;
                }
                // A hook whose pin is missing (an agent killed between the two pins) is attached again
                // at the first pass; the one that is pinned keeps running meanwhile.
                var endpoint = new Endpoint(hostInterface, ifindex.getAsInt(), 0);
                if (Files.exists(folder.resolve(FROM_POD))) endpoint.fromPod = KernelLink.openPinned(folder.resolve(FROM_POD));
                if (Files.exists(folder.resolve(TO_POD))) endpoint.toPod = KernelLink.openPinned(folder.resolve(TO_POD));
                endpoints.put(hostInterface, endpoint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + linkFolder, e);
        }
        LOG.info("adopted " + endpoints.size() + " endpoints and " + maps.size() + " maps from " + pins);
    }

    private static void pin(dev.weir.datapath.kernel.BpfObject object, Path path) {
        if (Files.exists(path)) Bpffs.unpin(path);
        Bpffs.pin(object, path);
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) return;
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warning("cannot remove " + path + ": " + e.getMessage());
        }
    }

    private static String firstLine(String text) {
        int newline = text == null ? -1 : text.indexOf('\n');
        return newline < 0 ? String.valueOf(text) : text.substring(0, newline);
    }
}
