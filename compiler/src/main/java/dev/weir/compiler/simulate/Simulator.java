package dev.weir.compiler.simulate;

import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.NamespacePrograms;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.cluster.Ipv4;
import java.nio.ByteBuffer;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.packet.Frames;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers "would this connection be allowed?" by running its packets through the compiled programs, in the
 * interpreter or the kernel. Each probe starts with no connection state and leaves none behind.
 */
public final class Simulator implements AutoCloseable {
    /** The client's source port in every probe. */
    public static final int CLIENT_PORT = 40_000;

    private final CompiledCluster compiled;
    private final Datapath datapath;

    public Simulator(CompiledCluster compiled, Datapath datapath) {
        this.compiled = compiled;
        this.datapath = datapath;
    }

    public CompiledCluster compiled() {
        return compiled;
    }

    public Connection connect(Target from, Target to, int port, Protocol protocol) {
        if (from instanceof Target.Address && to instanceof Target.Address) {
            throw new IllegalArgumentException("at least one end must be a pod of the cluster");
        }
        int client = address(from), server = address(to);
        if (to instanceof Target.Address) {
            var frontend = compiled.services().frontend(server, port, protocol);
            if (frontend.isPresent()) return connectToService(from, server, port, protocol, frontend.get().service());
        }
        byte[] request = frame(protocol, client, server, CLIENT_PORT, port, false);
        byte[] reply = frame(protocol, server, client, port, CLIENT_PORT, true);
        var requestHops = new ArrayList<Hop>();
        var replyHops = new ArrayList<Hop>();
        try {
            if (allowed(pass(from, Direction.EGRESS, request, requestHops)) && allowed(pass(to, Direction.INGRESS, request, requestHops))
                    && allowed(pass(to, Direction.EGRESS, reply, replyHops))) {
                pass(from, Direction.INGRESS, reply, replyHops);
            }
        } finally {
            datapath.forgetConnection(WeirMaps.connectionKey(client, server, CLIENT_PORT, port, protocol.number));
        }
        return new Connection(from, to, port, protocol, requestHops, replyHops);
    }

    /**
     * A connection from a pod to a Service address: the client's egress program picks the backend and
     * rewrites the packet, which then goes to the backend's ingress; the backend's reply goes back through
     * its egress and the client's ingress, which must rewrite it to come from the Service.
     */
    private Connection connectToService(Target from, int service, int port, Protocol protocol, int servicePort) {
        if (!(from instanceof Target.Pod)) {
            throw new IllegalArgumentException(Ipv4.text(service) + ":" + port + " is a Service address: it is reached from a pod"
                    + " (from outside, NodePort and LoadBalancer traffic enters through the node's uplink)");
        }
        int client = address(from);
        var requestHops = new ArrayList<Hop>();
        var replyHops = new ArrayList<Hop>();
        int backend = 0, backendPort = 0;
        try {
            Datapath.HookRun egress = pass(from, Direction.EGRESS, frame(protocol, client, service, CLIENT_PORT, port, false), requestHops);
            ByteBuffer out = ByteBuffer.wrap(egress.packet());
            if (requestHops.getLast().reason() == Reason.NO_BACKEND) { // refused: the Service has no backend
                return new Connection(from, Target.address(service), port, protocol, requestHops, replyHops);
            }
            backend = out.getInt(30);
            backendPort = Short.toUnsignedInt(out.getShort(34 + 2));
            PodRef backendPod = podAt(backend).orElse(null);
            Target to = backendPod != null ? Target.pod(backendPod) : Target.address(backend);
            boolean restored = false;
            // Translation comes before policy, so even a connection egress policy drops has its backend.
            if (allowed(egress) && allowed(pass(to, Direction.INGRESS, egress.packet(), requestHops))) {
                byte[] reply = frame(protocol, backend, client, backendPort, CLIENT_PORT, true);
                if (allowed(pass(to, Direction.EGRESS, reply, replyHops))) {
                    Datapath.HookRun ingress = pass(from, Direction.INGRESS, reply, replyHops);
                    ByteBuffer back = ByteBuffer.wrap(ingress.packet());
                    restored = allowed(ingress) && back.getInt(26) == service && Short.toUnsignedInt(back.getShort(34)) == port;
                }
            }
            return new Connection(from, to, port, protocol, requestHops, replyHops,
                    new Translation(service, port, backend, backendPort, backendPod, restored));
        } finally {
            datapath.forgetConnection(WeirMaps.connectionKey(client, backend, CLIENT_PORT, backendPort, protocol.number));
            datapath.forget(LbMaps.NAT, LbMaps.natKey(client, service, CLIENT_PORT, port, protocol.number, LbMaps.FORWARD));
            datapath.forget(LbMaps.NAT, LbMaps.natKey(backend, client, backendPort, CLIENT_PORT, protocol.number, LbMaps.REVERSE));
            datapath.forget(LbMaps.AFFINITY, LbMaps.affinityKey(client, servicePort));
        }
    }

    private java.util.Optional<PodRef> podAt(int ipv4) {
        return compiled.endpoints().values().stream().filter(e -> e.ipv4() != null && e.ipv4() == ipv4)
                .map(PodEndpoint::pod).findFirst();
    }

    private static boolean allowed(Datapath.HookRun run) {
        return run == null || run.action() == Skb.TC_ACT_OK;
    }

    /** Runs the hook when {@code target} is a pod (null otherwise: nothing to run, the packet goes on). */
    private Datapath.HookRun pass(Target target, Direction direction, byte[] frame, List<Hop> hops) {
        if (!(target instanceof Target.Pod pod)) {
            return null;
        }
        NamespacePrograms programs = compiled.namespace(pod.ref().namespace());
        String program = programs.program(direction);
        Datapath.HookRun run = datapath.run(program, compiled.endpoint(pod.ref()).orElseThrow(), frame);
        boolean allowed = run.action() == Skb.TC_ACT_OK;
        Reason reason = Reason.of(run.cb()[0]);
        if (reason.allows != allowed) {
            throw new IllegalStateException("program " + program + " returned " + run.action() + " with reason " + reason);
        }
        String policy = null;
        int rule = -1;
        if (reason == Reason.RULE || reason == Reason.DEFAULT_DENY) {
            policy = programs.policies(direction).get(run.cb()[1] - 1);
            rule = reason == Reason.RULE ? run.cb()[2] - 1 : -1;
        }
        hops.add(new Hop(pod.ref(), direction, program, allowed, reason, policy, rule));
        return run;
    }

    private int address(Target target) {
        return switch (target) {
            case Target.Address address -> address.ipv4();
            case Target.Pod pod -> {
                PodEndpoint endpoint = compiled.endpoint(pod.ref())
                        .orElseThrow(() -> new IllegalArgumentException("no pod " + pod.ref()));
                if (endpoint.ipv4() == null) {
                    throw new IllegalArgumentException("pod " + pod.ref() + " has no IPv4 address (status.podIP)");
                }
                yield endpoint.ipv4();
            }
        };
    }

    private static byte[] frame(Protocol protocol, int from, int to, int fromPort, int toPort, boolean reply) {
        return switch (protocol) {
            case TCP -> Frames.tcp(from, to, fromPort, toPort, reply ? Frames.TCP_SYN | Frames.TCP_ACK : Frames.TCP_SYN);
            case UDP -> Frames.udp(from, to, fromPort, toPort, new byte[8]);
            case SCTP -> Frames.sctp(from, to, fromPort, toPort);
        };
    }

    /** Whether a pod can take part in simulated traffic (it has an IPv4 address). */
    public boolean hasAddress(PodRef pod) {
        return compiled.endpoint(pod).map(e -> e.ipv4() != null).orElse(false);
    }

    @Override
    public void close() {
        datapath.close();
    }
}
