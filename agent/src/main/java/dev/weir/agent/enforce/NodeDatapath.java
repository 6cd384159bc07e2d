package dev.weir.agent.enforce;

import dev.weir.agent.cni.Endpoints;
import dev.weir.agent.enforce.PodHooks.Swap;
import dev.weir.agent.network.PodNetwork;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.crds.WeirNode;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.ProgramChain;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.kernel.VerifierException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * What the kernel of this node runs: Weir's maps, the programs the node's pods name, and on each pod's
 * host-side interface two tcx links (from the pod: tc ingress; to the pod: tc egress), all pinned under
 * one bpffs folder ({@link NodePins}) so enforcement outlives the agent. A new state is applied in the
 * order that never shows a packet half of it: new and changed map entries first ({@link MapSync}), then the
 * programs swapped link by link (LINK_UPDATE, atomic; {@link PodHooks}), then stale entries removed. A pod
 * whose policy is not known yet (just added, or its program refused by every check) runs the pending
 * programs ({@link PendingPrograms}): fail closed, but for the node's own addresses (the kubelet's probes).
 */
public final class NodeDatapath implements Endpoints, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeDatapath.class.getName());

    /** What an apply did, for logs, metrics and the node's status. */
    public record Applied(long generation, int endpointsEnforced, int endpointsDenied, Map<String, String> refused) {}

    private final NodePins pins;
    /** Maglev rows as last derived, so an apply only recomputes the Service ports whose backends changed. */
    private final dev.weir.compiler.compile.MaglevRows maglevRows = new dev.weir.compiler.compile.MaglevRows();
    private final PodNetwork network;
    private final Map<String, PodHooks> endpoints = new TreeMap<>();
    private final Map<String, ProgramChain> programs = new HashMap<>();
    private final PendingPrograms pending = new PendingPrograms();
    private final AtomicLong attachFailures = new AtomicLong();
    private List<KernelMap> maps;
    private VerifiedNode current;

    /**
     * Adopts what an earlier agent pinned under {@code pins}: links of interfaces that still exist and the
     * maps (their entries, conntrack included, stay). Nothing is changed until a state is applied.
     */
    public NodeDatapath(Path pins, PodNetwork network) {
        this.pins = new NodePins(pins);
        this.network = network;
        this.maps = this.pins.adoptMaps();
        adoptLinks();
    }

    /** The generation running, 0 before the first. */
    public synchronized long generation() {
        return current == null ? 0 : current.generation();
    }

    public synchronized Applied apply(VerifiedNode desired) {
        boolean newMaps = !desired.layout().isEmpty() && !desired.layout().equals(maps.stream().map(KernelMap::spec).toList());
        List<KernelMap> target = newMaps ? MapSync.create(desired.layout()) : maps;
        var loadedNow = new HashMap<String, ProgramChain>();
        var refusedNow = new LinkedHashMap<>(desired.refused());
        try {
            // 1. New and changed entries (the programs running now ignore what they do not reference).
            // A state naming no program (no pod on the node) carries no layout: the maps are left as they are.
            List<String> synced = desired.layout().isEmpty() ? List.of() : WeirMaps.SYNCED;
            var stale = new HashMap<String, List<byte[]>>();
            for (String name : synced) {
                KernelMap map = MapSync.named(target, name);
                if (map != null) stale.put(name, MapSync.upsert(map, MapSync.desired(desired, name, map, maglevRows)));
            }
            if (newMaps) MapSync.copyConnections(MapSync.named(maps, WeirMaps.CONNTRACK), MapSync.named(target, WeirMaps.CONNTRACK));
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
            boolean pendingChanged = pending.refresh(desired.addresses());
            forgetVanishedInterfaces();
            KernelMap endpointTable = MapSync.named(target, WeirMaps.ENDPOINTS);
            int enforced = 0, denied = 0;
            for (PodHooks hooks : endpoints.values()) {
                try {
                    if (enforce(hooks, desired.pods().get(hooks.hostInterface), usable, refusedNow, endpointTable, newMaps, pendingChanged)) {
                        enforced++;
                    } else {
                        denied++;
                    }
                } catch (RuntimeException e) {
                    // One interface (gone meanwhile, or refused by the kernel) does not hold up the others.
                    attachFailures.incrementAndGet();
                    LOG.warning("endpoint " + hooks.hostInterface + ": " + e.getMessage());
                    denied++;
                }
            }
            // 4. Stale entries, now that no program needs them; connections of addresses that left.
            for (String name : synced.reversed()) { // frontends first, then what they led to
                KernelMap map = MapSync.named(target, name);
                if (map != null) MapSync.remove(map, stale.get(name));
            }
            if (current != null && !newMaps && !synced.isEmpty()) MapSync.forgetConnections(current, desired, MapSync.named(target, WeirMaps.CONNTRACK));
            MapSync.clearUnusedSlots(endpointTable, endpoints.values());
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

    /**
     * Gives one interface what the state says: its pod's programs when they are loaded (true), its current
     * programs when the new ones were refused (true), the pending programs otherwise (false).
     */
    private boolean enforce(PodHooks hooks, WeirNode.Pod pod, Map<String, ProgramChain> usable, Map<String, String> refused,
                            KernelMap endpointTable, boolean newMaps, boolean pendingChanged) {
        boolean known = pod != null && (hooks.address == 0 || hooks.address == address(pod))
                && usable.containsKey(pod.egressProgram()) && usable.containsKey(pod.ingressProgram());
        if (known) {
            hooks.address = address(pod);
            if (endpointTable != null) endpointTable.update(WeirMaps.endpointKey(hooks.ifindex),
                    WeirMaps.endpoint(hooks.ifindex, hooks.address, pod.identity()), 0);
            hooks.run(programsOf(pod, usable), newMaps ? Swap.ALWAYS : Swap.WHEN_CHANGED, network, pins);
            return true;
        }
        if (pod != null && hooks.runningPolicy() && !newMaps
                && (refused.containsKey(pod.egressProgram()) || refused.containsKey(pod.ingressProgram()))) {
            return true; // its new program was refused: it keeps the one it runs
        }
        hooks.run(pending.programs(), pendingChanged ? Swap.ALWAYS : Swap.WHEN_CHANGED, network, pins);
        return false;
    }

    private static PodHooks.Programs programsOf(WeirNode.Pod pod, Map<String, ProgramChain> loaded) {
        return new PodHooks.Programs(pod.egressProgram(), loaded.get(pod.egressProgram()).entry(),
                pod.ingressProgram(), loaded.get(pod.ingressProgram()).entry());
    }

    @Override
    public synchronized void added(LocalPod pod) {
        PodNetwork.Wiring wiring = pod.wiring();
        for (PodHooks other : endpoints.values()) {
            if (!other.hostInterface.equals(wiring.hostInterface()) && (other.ifindex & 0xffff) == (wiring.hostIfindex() & 0xffff)) {
                // One endpoint slot per ifindex modulo 65,536: refused, the runtime's retry gets a new ifindex.
                throw new IllegalStateException("interface " + wiring.hostInterface() + " (ifindex " + wiring.hostIfindex()
                        + ") shares its endpoint slot with " + other.hostInterface + " (ifindex " + other.ifindex + ")");
            }
        }
        PodHooks hooks = endpoints.get(wiring.hostInterface());
        if (hooks == null || hooks.ifindex != wiring.hostIfindex()) {
            if (hooks != null) hooks.release(pins);
            hooks = new PodHooks(wiring.hostInterface(), wiring.hostIfindex(), wiring.address());
            endpoints.put(wiring.hostInterface(), hooks);
        }
        hooks.address = wiring.address();
        WeirNode.Pod known = current == null ? null : current.pods().get(wiring.hostInterface());
        KernelMap endpointTable = MapSync.named(maps, WeirMaps.ENDPOINTS);
        if (known != null && address(known) == wiring.address() && programs.containsKey(known.egressProgram())
                && programs.containsKey(known.ingressProgram()) && endpointTable != null) {
            endpointTable.update(WeirMaps.endpointKey(hooks.ifindex), WeirMaps.endpoint(hooks.ifindex, hooks.address, known.identity()), 0);
            hooks.run(programsOf(known, programs), Swap.WHEN_CHANGED, network, pins);
        } else {
            hooks.run(pending.programs(), Swap.WHEN_CHANGED, network, pins);
        }
    }

    @Override
    public synchronized void removed(String hostInterface) {
        PodHooks hooks = endpoints.remove(hostInterface);
        if (hooks != null) {
            KernelMap endpointTable = MapSync.named(maps, WeirMaps.ENDPOINTS);
            if (endpointTable != null && !slotUsedByOther(hooks)) endpointTable.update(WeirMaps.endpointKey(hooks.ifindex), new byte[16], 0);
            hooks.release(pins);
        }
        NodePins.deleteQuietly(pins.links().resolve(hostInterface));
    }

    @Override
    public synchronized String notReadyBecause() {
        return null; // pods can always be added: they are denied until their policy arrives
    }

    /** What each endpoint runs: host interface to "from-pod program / to-pod program" (content addresses or "pending"). */
    public synchronized Map<String, String> hooks() {
        var hooks = new TreeMap<String, String>();
        endpoints.values().forEach(e -> hooks.put(e.hostInterface, e.toString()));
        return hooks;
    }

    /** A pod interface's counters: packets its hooks passed and dropped, from weir_verdicts. */
    public record Verdicts(String hostInterface, String pod, long passed, long dropped) {}

    /** Every endpoint's counters (zero for one that runs only the pending programs, which count nothing). */
    public synchronized List<Verdicts> verdicts() {
        KernelMap counters = MapSync.named(maps, WeirMaps.VERDICTS);
        var out = new ArrayList<Verdicts>();
        for (PodHooks hooks : endpoints.values()) {
            long passed = 0, dropped = 0;
            if (counters != null) {
                var value = counters.lookup(WeirMaps.endpointKey(hooks.ifindex));
                if (value.isPresent()) {
                    var buffer = ByteBuffer.wrap(value.get()).order(ByteOrder.LITTLE_ENDIAN);
                    passed = buffer.getLong(0);
                    dropped = buffer.getLong(8);
                }
            }
            WeirNode.Pod pod = current == null ? null : current.pods().get(hooks.hostInterface);
            out.add(new Verdicts(hooks.hostInterface, pod == null ? "" : pod.namespace() + "/" + pod.name(), passed, dropped));
        }
        return out;
    }

    /** The kernel map named {@code name}, for tests and metrics (null before a state is applied). */
    public synchronized KernelMap map(String name) {
        return MapSync.named(maps, name);
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
        endpoints.values().forEach(PodHooks::close);
        endpoints.clear();
        programs.values().forEach(ProgramChain::close);
        programs.clear();
        pending.close();
        maps.forEach(KernelMap::close);
        maps = List.of();
    }

    /** Removes every pin and detaches every hook: uninstalling Weir from the node. */
    public synchronized void uninstall() {
        for (PodHooks hooks : List.copyOf(endpoints.values())) removed(hooks.hostInterface);
        close();
        pins.removeAll();
    }

    /** Removes a pin folder and what it holds, logging what it cannot (tests' clean-up too). */
    static void deleteQuietly(Path path) {
        NodePins.deleteQuietly(path);
    }

    // ---- programs

    /**
     * Loads a program and its parts. A program in parts tail-calls through its own program array, which the
     * kernel empties when the last descriptor or pin of it goes: it is pinned, so the links running the
     * program keep working after this agent stops (and until the next one has swapped them).
     */
    private ProgramChain load(List<ProgramSpec> parts, List<KernelMap> maps) {
        ProgramChain chain = ProgramChain.load(parts, maps);
        if (chain.jumps() != null) {
            try {
                pins.pin(chain.jumps(), pins.jumps(chain));
            } catch (RuntimeException e) {
                chain.close();
                throw e;
            }
        }
        return chain;
    }

    private void release(ProgramChain chain) {
        if (chain.jumps() != null) NodePins.deleteQuietly(pins.jumps(chain));
        chain.close();
    }

    private void retainUsed() {
        var used = new HashSet<String>();
        endpoints.values().forEach(e -> {
            used.add(e.fromPodProgram());
            used.add(e.toPodProgram());
        });
        if (current != null) used.addAll(current.programs().keySet());
        programs.entrySet().removeIf(entry -> {
            if (used.contains(entry.getKey())) return false;
            release(entry.getValue());
            return true;
        });
        // Program arrays an earlier agent pinned serve links this one has not swapped yet; once every link
        // runs a program of ours, they serve nothing.
        if (endpoints.values().stream().noneMatch(PodHooks::adoptedOnly)) {
            var ours = new HashSet<Path>();
            programs.values().forEach(chain -> { if (chain.jumps() != null) ours.add(pins.jumps(chain)); });
            pins.removeJumpsBut(ours);
        }
    }

    // ---- maps and interfaces

    /** The new maps take the old ones' pins; programs bound to the old ones were all swapped already. */
    private void replaceMaps(List<KernelMap> created) {
        programs.values().forEach(this::release);
        programs.clear();
        maps.forEach(KernelMap::close);
        pins.replaceMaps(created);
        maps = created;
    }

    private void forgetVanishedInterfaces() {
        for (PodHooks hooks : List.copyOf(endpoints.values())) {
            OptionalInt now = network.hostIfindex(hooks.hostInterface);
            if (now.isEmpty() || now.getAsInt() != hooks.ifindex) {
                LOG.info("interface " + hooks.hostInterface + " is gone: releasing its hooks");
                endpoints.remove(hooks.hostInterface);
                hooks.release(pins);
            }
        }
    }

    private boolean slotUsedByOther(PodHooks hooks) {
        return endpoints.values().stream().anyMatch(e -> e != hooks && (e.ifindex & 0xffff) == (hooks.ifindex & 0xffff));
    }

    private static int address(WeirNode.Pod pod) {
        return dev.weir.compiler.cluster.Ipv4.parse(pod.address()).orElse(-1);
    }

    private void adoptLinks() {
        for (Path folder : pins.linkFolders()) {
            String hostInterface = folder.getFileName().toString();
            OptionalInt ifindex = network.hostIfindex(hostInterface);
            if (ifindex.isEmpty()) {
                NodePins.deleteQuietly(folder); // its interface is gone: the links are defunct
                continue;
            }
            endpoints.put(hostInterface, PodHooks.adopted(hostInterface, ifindex.getAsInt(), pins));
        }
        LOG.info("adopted " + endpoints.size() + " endpoints and " + maps.size() + " maps");
    }

    private static String firstLine(String text) {
        int newline = text == null ? -1 : text.indexOf('\n');
        return newline < 0 ? String.valueOf(text) : text.substring(0, newline);
    }
}
