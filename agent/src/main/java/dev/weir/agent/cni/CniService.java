package dev.weir.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.agent.network.Ipam;
import dev.weir.agent.network.PodNetwork;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.crds.HostInterfaces;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The CNI commands, served by the agent for the plugin: ADD allocates an address, wires the pod and makes
 * its endpoint policy-ready before answering; DEL undoes that and is idempotent; CHECK compares what
 * exists with the previous result; STATUS says whether pods can be added; GC releases what the runtime no
 * longer knows. VERSION is answered by the plugin itself.
 */
public final class CniService {
    private static final Logger LOG = Logger.getLogger(CniService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Ipam> ipam;
    private final PodNetwork network;
    private final Endpoints endpoints;

    /** @param ipam the node's IPAM, or null while the node's pod CIDR is not known */
    public CniService(Supplier<Ipam> ipam, PodNetwork network, Endpoints endpoints) {
        this.ipam = ipam;
        this.network = network;
        this.endpoints = endpoints;
    }

    /** What the plugin prints on standard output (empty for DEL, CHECK, STATUS, GC). */
    public synchronized String handle(CniRequest request) {
        return switch (request.command()) {
            case "ADD" -> add(request);
            case "DEL" -> delete(request);
            case "CHECK" -> check(request);
            case "STATUS" -> status();
            case "GC" -> gc(request);
            case "VERSION" -> version();
            default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND " + request.command() + " is not a CNI command");
        };
    }

    private String add(CniRequest request) {
        Ipam addresses = ipam();
        String hostInterface = hostInterface(request);
        Optional<Integer> held = addresses.find(request.containerId(), request.ifname());
        for (Ipam.Allocation other : addresses.allocations().values()) {
            if (other.hostInterface().equals(hostInterface) && other.containerId().equals(request.containerId())
                    && !other.ifname().equals(request.ifname())) {
                throw new CniError(CniError.WIRING_FAILED, "container " + request.containerId() + " already has " + other.ifname()
                        + " from Weir: Weir wires a pod's primary interface only");
            }
        }
        if (held.isPresent() && network.hostIfindex(hostInterface).isPresent() && network.podHasInterface(Path.of(request.netns()), request.ifname())) {
            // A retried ADD for what exists: the same answer.
            var wiring = PodNetwork.existing(hostInterface, network.hostIfindex(hostInterface).getAsInt(), request.ifname(), held.get());
            endpoints.added(new Endpoints.LocalPod(request.containerId(), request.podNamespace(), request.podName(), wiring));
            return result(request, wiring);
        }
        // What an earlier sandbox of this pod left (never deleted, or deleted only in part) is stale: its
        // interface and every allocation naming it go, so one host interface never has two owners (a late
        // DEL of the old sandbox then finds nothing of its own and touches nothing).
        if (network.hostIfindex(hostInterface).isPresent()) {
            LOG.warning("removing stale interface " + hostInterface + " before wiring container " + request.containerId());
            endpoints.removed(hostInterface);
            network.unwire(hostInterface);
        }
        addresses.allocations().values().forEach(owner -> {
            if (owner.hostInterface().equals(hostInterface)) addresses.release(owner.containerId(), owner.ifname());
        });
        int address;
        try {
            address = addresses.allocate(request.containerId(), request.ifname(), hostInterface);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new CniError(CniError.WIRING_FAILED, "no address for container " + request.containerId(), e.getMessage());
        }
        PodNetwork.Wiring wiring;
        try {
            wiring = network.wire(hostInterface, Path.of(request.netns()), request.ifname(), address);
        } catch (RuntimeException e) {
            addresses.release(request.containerId(), request.ifname());
            throw new CniError(CniError.WIRING_FAILED, "cannot wire container " + request.containerId() + " (" + hostInterface + ")", e.getMessage());
        }
        try {
            endpoints.added(new Endpoints.LocalPod(request.containerId(), request.podNamespace(), request.podName(), wiring));
        } catch (RuntimeException e) {
            endpoints.removed(hostInterface);
            network.unwire(hostInterface);
            addresses.release(request.containerId(), request.ifname());
            throw new CniError(CniError.POLICY_NOT_READY, "the endpoint of container " + request.containerId() + " could not be made policy-ready", e.getMessage());
        }
        return result(request, wiring);
    }

    /**
     * Undoes what ADD did for this (container, interface), found through its allocation: a DEL for a
     * container that holds nothing here (repeated, late, or never added) does nothing, so it can never
     * touch a newer sandbox of the same pod, whose host interface has the same name.
     */
    private String delete(CniRequest request) {
        Ipam addresses = ipam.get();
        if (addresses == null) return "";
        Optional<Integer> held = addresses.find(request.containerId(), request.ifname());
        if (held.isEmpty()) return "";
        String hostInterface = addresses.allocation(held.get()).map(Ipam.Allocation::hostInterface).orElseThrow();
        endpoints.removed(hostInterface);
        network.unwire(hostInterface);
        addresses.release(request.containerId(), request.ifname());
        return "";
    }

    private String check(CniRequest request) {
        Ipam addresses = ipam();
        JsonNode previous = request.config().get("prevResult");
        if (previous == null) throw new CniError(CniError.INVALID_CONFIG, "CHECK needs prevResult in the network configuration");
        Optional<Integer> held = addresses.find(request.containerId(), request.ifname());
        if (held.isEmpty()) throw new CniError(CniError.UNKNOWN_CONTAINER, "container " + request.containerId() + " has no address here");
        String expected = Ipv4.text(held.get()) + "/32";
        String reported = previous.path("ips").path(0).path("address").asText();
        if (!expected.equals(reported)) {
            throw new CniError(CniError.WIRING_FAILED, "container " + request.containerId() + " has " + expected + ", prevResult says " + reported);
        }
        String hostInterface = addresses.allocation(held.get()).map(Ipam.Allocation::hostInterface).orElse(hostInterface(request));
        if (network.hostIfindex(hostInterface).isEmpty()) {
            throw new CniError(CniError.WIRING_FAILED, "container " + request.containerId() + ": host interface " + hostInterface + " is missing");
        }
        if (!network.podHasInterface(Path.of(request.netns()), request.ifname())) {
            throw new CniError(CniError.WIRING_FAILED, "container " + request.containerId() + ": " + request.ifname() + " is missing in " + request.netns());
        }
        return "";
    }

    private String status() {
        if (ipam.get() == null) throw new CniError(CniError.NOT_AVAILABLE, "the node's pod CIDR is not known yet");
        String why = endpoints.notReadyBecause();
        if (why != null) throw new CniError(CniError.NOT_AVAILABLE, why);
        return "";
    }

    private String gc(CniRequest request) {
        ValidAttachments valid = ValidAttachments.of(request.config()); // before anything is touched
        Ipam addresses = ipam();
        var allocations = addresses.allocations();
        Set<String> inUse = new HashSet<>();
        allocations.values().stream().filter(owner -> valid.contains(owner.containerId(), owner.ifname()))
                .forEach(owner -> inUse.add(owner.hostInterface()));
        allocations.forEach((address, owner) -> {
            if (!valid.contains(owner.containerId(), owner.ifname())) {
                LOG.info("GC: releasing " + Ipv4.text(address) + " of container " + owner.containerId());
                if (!inUse.contains(owner.hostInterface())) { // never a valid attachment's interface
                    endpoints.removed(owner.hostInterface());
                    network.unwire(owner.hostInterface());
                }
                addresses.release(owner.containerId(), owner.ifname());
            }
        });
        return "";
    }

    static String version() {
        ObjectNode out = JSON.createObjectNode().put("cniVersion", "1.1.0");
        ArrayNode versions = out.putArray("supportedVersions");
        CniRequest.SUPPORTED_VERSIONS.forEach(versions::add);
        return out.toString();
    }

    private Ipam ipam() {
        Ipam addresses = ipam.get();
        if (addresses == null) throw new CniError(CniError.TRY_AGAIN_LATER, "the node's pod CIDR is not known yet");
        return addresses;
    }

    static String hostInterface(CniRequest request) {
        if (request.podNamespace() != null && request.podName() != null) {
            return HostInterfaces.name(request.podNamespace(), request.podName());
        }
        return HostInterfaces.name("container", request.containerId());
    }

    private String result(CniRequest request, PodNetwork.Wiring wiring) {
        boolean legacy = request.cniVersion().startsWith("0.");
        ObjectNode out = JSON.createObjectNode().put("cniVersion", request.cniVersion());
        ArrayNode interfaces = out.putArray("interfaces");
        interfaces.addObject().put("name", wiring.hostInterface()).put("mac", wiring.hostMac());
        interfaces.addObject().put("name", wiring.podInterface()).put("mac", wiring.podMac()).put("sandbox", request.netns());
        ObjectNode ip = out.putArray("ips").addObject();
        if (legacy) ip.put("version", "4");
        ip.put("address", Ipv4.text(wiring.address()) + "/32").put("gateway", PodNetwork.GATEWAY_TEXT).put("interface", 1);
        out.putArray("routes").addObject().put("dst", "0.0.0.0/0").put("gw", PodNetwork.GATEWAY_TEXT);
        out.putObject("dns");
        return out.toString();
    }

    /** The error JSON the plugin prints for {@code error}. */
    public static String errorJson(String cniVersion, CniError error) {
        return JSON.createObjectNode().put("cniVersion", cniVersion == null ? "1.1.0" : cniVersion).put("code", error.code())
                .put("msg", error.getMessage()).put("details", error.details()).toString();
    }
}
