package dev.weir.compiler.compile;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.codegen.PolicyProgramGenerator;
import dev.weir.compiler.codegen.ProgramPlan;
import dev.weir.compiler.codegen.ProgramPlan.PeerCheck;
import dev.weir.compiler.codegen.ProgramPlan.PolicyPlan;
import dev.weir.compiler.codegen.ProgramPlan.PortCheck;
import dev.weir.compiler.codegen.ProgramPlan.RulePlan;
import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.identity.LabelSet;
import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.services.ServiceCompiler;
import dev.weir.compiler.services.ServiceTable;
import dev.weir.compiler.policy.Cidr;
import dev.weir.compiler.policy.Direction;
import dev.weir.compiler.policy.Peer;
import dev.weir.compiler.policy.Policy;
import dev.weir.compiler.policy.PolicyReader;
import dev.weir.compiler.policy.PortMatch;
import dev.weir.compiler.policy.Rule;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.ProgramType;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compiles a cluster's NetworkPolicies, in Cilium's stages: all policies, read and validated
 * ({@link PolicyReader}); numbering (identities, selector bits, port names); per-identity selector rows and the
 * other map entries; then one program per namespace and direction ({@link PolicyProgramGenerator}).
 */
public final class Compiler {

    /** Connection-tracking entries per node. */
    public static final int DEFAULT_CONNECTIONS = 65_536;

    private final ClusterState cluster;
    private final Numbering previous;
    private final List<Integer> hostAddresses;
    private final List<String> warnings = new ArrayList<>();

    private Compiler(ClusterState cluster, Numbering previous, List<Integer> hostAddresses) {
        this.cluster = cluster;
        this.previous = previous;
        this.hostAddresses = List.copyOf(hostAddresses);
    }

    public static CompiledCluster compile(ClusterState cluster) {
        return new Compiler(cluster, Numbering.NONE, List.of()).compile();
    }

    /**
     * Compiles again, keeping the numbering (and map sizes, which only grow) and the node addresses of
     * {@code previous}.
     */
    public static CompiledCluster compile(ClusterState cluster, CompiledCluster previous) {
        return previous == null ? compile(cluster)
                : new Compiler(cluster, previous.numbering(), previous.hostAddresses()).compile();
    }

    /**
     * Also gives the node addresses (IPv4, host notation) the host identity: traffic to and from the node a
     * pod runs on is always allowed. The agent knows its node's addresses; input files do not carry them.
     */
    public static CompiledCluster compile(ClusterState cluster, CompiledCluster previous, List<Integer> hostAddresses) {
        return new Compiler(cluster, previous == null ? Numbering.NONE : previous.numbering(), hostAddresses).compile();
    }

    /** Compiles with a numbering kept elsewhere (an operator's, across restarts). */
    public static CompiledCluster compile(ClusterState cluster, Numbering previous, List<Integer> hostAddresses) {
        return new Compiler(cluster, previous, hostAddresses).compile();
    }

    private CompiledCluster compile() {
        PolicyReader.Result read = PolicyReader.read(cluster);
        warnings.addAll(read.warnings());
        List<Policy> policies = read.policies();

        SelectorBits bits = SelectorBits.allocate(policies, previous.bits());
        Identities identities = Identities.allocate(labelSets(), ipv4Prefixes(bits), previous.identities());
        Rows rows = new Rows(bits);

        var endpoints = endpoints(identities);
        MapImage image = new MapImage();
        fillMaps(image, endpoints, identities, bits, rows);
        ServiceTable services = ServiceCompiler.compile(cluster);
        warnings.addAll(services.problems());
        LbMaps.Sizes lbSizes = ServiceMaps.fill(image, services, previous.sizes().lb().maglev(), warnings::add);
        WeirMaps.Sizes sizes = sizes(image, identities, bits, lbSizes);
        List<MapSpec> maps = WeirMaps.specs(sizes);

        var programs = new TreeMap<String, CompiledProgram>();
        var namespaces = new LinkedHashMap<String, NamespacePrograms>();
        for (ClusterNamespace namespace : cluster.namespaces()) {
            List<Policy> own = policies.stream().filter(p -> p.namespace().equals(namespace.name())).toList();
            var names = new LinkedHashMap<Direction, String>();
            var order = new LinkedHashMap<Direction, List<String>>();
            for (Direction direction : Direction.values()) {
                List<Policy> isolating = own.stream().filter(p -> p.isolates(direction)).toList();
                ProgramPlan plan = plan(direction, namespace.name(), isolating, bits, sizes.lb().maglev());
                CompiledProgram program = program(direction, generate(namespace.name(), plan), maps);
                CompiledProgram existing = programs.putIfAbsent(program.name(), program);
                if (existing != null && !existing.parts().equals(program.parts())) {
                    throw new IllegalStateException("two different programs hash to the name " + program.name());
                }
                names.put(direction, program.name());
                order.put(direction, isolating.stream().map(Policy::key).toList());
            }
            namespaces.put(namespace.name(), new NamespacePrograms(namespace.name(), names.get(Direction.INGRESS),
                    names.get(Direction.EGRESS), order.get(Direction.INGRESS), order.get(Direction.EGRESS)));
        }
        return new CompiledCluster(identities, bits, sizes, maps, image, programs, namespaces, endpoints,
                read.problems(), warnings, hostAddresses, services);
    }

    private List<LabelSet> labelSets() {
        return cluster.pods().stream().map(pod -> LabelSet.of(pod, namespaceOf(pod))).toList();
    }

    private ClusterNamespace namespaceOf(ClusterPod pod) {
        return cluster.namespace(pod.namespace()).orElseThrow();
    }

    /** Every IPv4 cidr and except of the ipBlocks: the prefixes of the LPM trie. */
    private static List<Cidr> ipv4Prefixes(SelectorBits bits) {
        var prefixes = new ArrayList<Cidr>();
        for (Peer.AddressBlock block : bits.blocks().keySet()) {
            if (block.cidr().isIpv4()) {
                prefixes.add(block.cidr());
                prefixes.addAll(block.except());
            }
        }
        return prefixes;
    }

    private Map<PodRef, PodEndpoint> endpoints(Identities identities) {
        var endpoints = new LinkedHashMap<PodRef, PodEndpoint>();
        for (ClusterPod pod : cluster.pods()) {
            int identity = identities.of(LabelSet.of(pod, namespaceOf(pod))).orElseThrow();
            endpoints.put(pod.ref(), new PodEndpoint(pod.ref(), ipv4(pod), identity));
        }
        return endpoints;
    }

    private Integer ipv4(ClusterPod pod) {
        if (pod.ip() == null) {
            return null;
        }
        Optional<Integer> address = Ipv4.parse(pod.ip());
        if (address.isEmpty()) {
            warnings.add("pod " + pod.ref() + ": status.podIP " + pod.ip() + " is IPv6; Weir's datapath is IPv4-only, so the pod gets no address entry");
        }
        return address.orElse(null);
    }

    private void fillMaps(MapImage image, Map<PodRef, PodEndpoint> endpoints, Identities identities,
                          SelectorBits bits, Rows rows) {
        // An address two pods claim (a terminating pod and its successor, say) is nobody's: it gets no entry,
        // so neither pod's labels apply to it (fail closed) until one of them goes.
        var owners = new TreeMap<Integer, List<PodRef>>();
        for (PodEndpoint endpoint : endpoints.values()) {
            if (endpoint.ipv4() != null) owners.computeIfAbsent(endpoint.ipv4(), a -> new ArrayList<>()).add(endpoint.pod());
        }
        owners.forEach((address, pods) -> {
            if (pods.size() > 1) {
                warnings.add("address " + Ipv4.text(address) + " is claimed by pods "
                        + pods.stream().map(PodRef::toString).sorted().toList() + ": none of them gets it until only one is left");
            }
        });
        for (PodEndpoint endpoint : endpoints.values()) {
            if (endpoint.ipv4() == null || owners.get(endpoint.ipv4()).size() > 1) continue;
            image.put(WeirMaps.IPCACHE, WeirMaps.address(endpoint.ipv4()), WeirMaps.u32(endpoint.identity()));
            ClusterPod pod = cluster.pod(endpoint.pod()).orElseThrow();
            for (PodPort port : pod.ports()) {
                Integer nameId = port.name() == null ? null : bits.names().get(port.name());
                if (nameId != null) {
                    image.put(WeirMaps.NAMED_PORTS, WeirMaps.namedPortKey(endpoint.ipv4(), nameId, port.protocol().number, port.number()), WeirMaps.u32(1));
                }
            }
        }
        for (int host : hostAddresses) {
            if (owners.containsKey(host)) {
                warnings.add("node address " + Ipv4.text(host) + " is also pod " + owners.get(host).getFirst() + "'s; the pod keeps it");
            } else {
                image.put(WeirMaps.IPCACHE, WeirMaps.address(host), WeirMaps.u32(Identities.HOST));
            }
        }
        identities.prefixes().forEach((cidr, identity) -> image.put(WeirMaps.PREFIXES,
                WeirMaps.prefixKey(ByteBuffer.wrap(cidr.network().getAddress()).getInt(), cidr.prefixLength()), WeirMaps.u32(identity)));
        int rowBytes = rowBytes(bits);
        identities.pods().forEach((labels, identity) -> image.put(WeirMaps.ROWS, WeirMaps.u32(identity), row(rows.of(labels), rowBytes)));
        identities.prefixes().forEach((cidr, identity) -> image.put(WeirMaps.ROWS, WeirMaps.u32(identity), row(rows.of(cidr), rowBytes)));
    }

    private WeirMaps.Sizes sizes(MapImage image, Identities identities, SelectorBits bits, LbMaps.Sizes lb) {
        WeirMaps.Sizes before = previous.sizes();
        return new WeirMaps.Sizes(
                Math.max(before.addresses(), WeirMaps.Sizes.room(image.size(WeirMaps.IPCACHE), 1024)),
                Math.max(before.prefixes(), WeirMaps.Sizes.room(image.size(WeirMaps.PREFIXES), 64)),
                Math.max(before.identities(), WeirMaps.Sizes.room(identities.highest() + 1, 1024)),
                rowBytes(bits),
                Math.max(before.namedPorts(), WeirMaps.Sizes.room(image.size(WeirMaps.NAMED_PORTS), 256)),
                before.connections(),
                before.lb().atLeast(lb));
    }

    /** Bytes per row: the bits in use, rounded up to a power of two of at least 8 bytes. */
    private int rowBytes(SelectorBits bits) {
        int needed = WeirMaps.Sizes.room((bits.width() + 7) / 8, 8);
        return Math.max(needed, previous.sizes().rowBytes());
    }

    private static byte[] row(BitSet bits, int rowBytes) {
        byte[] row = new byte[rowBytes];
        byte[] set = bits.toByteArray();
        System.arraycopy(set, 0, row, 0, set.length);
        return row;
    }

    private static ProgramPlan plan(Direction direction, String namespace, List<Policy> policies, SelectorBits bits, int maglevSize) {
        var plans = new ArrayList<PolicyPlan>();
        for (Policy policy : policies) {
            var rules = new ArrayList<RulePlan>();
            for (Rule rule : policy.rules(direction)) {
                List<PortCheck> ports = rule.ports().stream().map(port -> portCheck(port, bits)).toList();
                List<PeerCheck> peers = rule.peers().stream().map(peer -> peerCheck(peer, bits)).toList();
                rules.add(new RulePlan(rule.index(), ports, peers));
            }
            plans.add(new PolicyPlan(policy.key(), bits.pods().get(policy.subject()), rules));
        }
        Integer isolationBit = bits.isolation().get(new SelectorBits.Isolation(namespace, direction));
        return new ProgramPlan(direction, isolationBit == null ? -1 : isolationBit, plans, maglevSize);
    }

    /**
     * The plan's program, or, when it cannot be generated, one that isolates as the policies say and allows
     * nothing (fail closed): a namespace whose policies cannot be compiled never takes the others down.
     */
    private List<Code> generate(String namespace, ProgramPlan plan) {
        try {
            return PolicyProgramGenerator.generate(plan);
        } catch (RuntimeException e) {
            warnings.add("namespace " + namespace + ", " + plan.direction().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + e.getMessage() + "; every pod its policies select drops all " + plan.direction().name().toLowerCase(java.util.Locale.ROOT)
                    + " traffic until they are made smaller");
            var isolateOnly = new PolicyPlan("(not compiled)", plan.isolationBit(), List.of());
            return PolicyProgramGenerator.generate(new ProgramPlan(plan.direction(), plan.isolationBit(), List.of(isolateOnly), plan.maglevSize()));
        }
    }

    private static PortCheck portCheck(PortMatch port, SelectorBits bits) {
        int protocol = port.protocol().number;
        return switch (port) {
            case PortMatch.AnyPort any -> new PortCheck.AnyPort(protocol);
            case PortMatch.PortRange range -> new PortCheck.Range(protocol, range.first(), range.last());
            case PortMatch.NamedPort named -> new PortCheck.Named(protocol, bits.names().get(named.name()));
        };
    }

    private static PeerCheck peerCheck(Peer peer, SelectorBits bits) {
        return switch (peer) {
            case Peer.Pods pods -> new PeerCheck.PodBit(bits.pods().get(pods.selection()));
            case Peer.AddressBlock block -> new PeerCheck.BlockBit(bits.blocks().get(block));
        };
    }

    /**
     * Named by a hash of what loading depends on: every part's bytecode and the map layouts (a new layout is
     * a reload). A program in parts also indexes its own program array, after the shared maps.
     */
    private static CompiledProgram program(Direction direction, List<Code> parts, List<MapSpec> maps) {
        List<MapSpec> own = parts.size() == 1 ? maps : java.util.stream.Stream.concat(maps.stream(), java.util.stream.Stream.of(WeirMaps.jumps())).toList();
        List<Bytecode> bytecode = parts.stream().map(code -> code.encode(WeirMaps::index)).toList();
        MessageDigest digest = sha256();
        bytecode.forEach(part -> digest.update(part.toByteArray()));
        digest.update(own.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String name = (direction == Direction.INGRESS ? "weir_i_" : "weir_e_") + HexFormat.of().formatHex(digest.digest(), 0, 4);
        var compiled = new ArrayList<CompiledProgram.Part>();
        for (int k = 0; k < parts.size(); k++) {
            // Kernel names of parts: the program's, shortened, and "p" with the part number in base 36 (weir_i_12ab34p1).
            String kernelName = k == 0 ? name : name.substring(0, name.length() - 2) + "p" + Character.forDigit(k, Character.MAX_RADIX);
            compiled.add(new CompiledProgram.Part(parts.get(k), ProgramSpec.of(kernelName, ProgramType.SCHED_CLS, bytecode.get(k), own)));
        }
        return new CompiledProgram(name, direction, compiled);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
