package dev.weir.compiler.simulate;

import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.NamespacePrograms;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.abi.WeirMaps;
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
        byte[] request = frame(protocol, client, server, CLIENT_PORT, port, false);
        byte[] reply = frame(protocol, server, client, port, CLIENT_PORT, true);
        var requestHops = new ArrayList<Hop>();
        var replyHops = new ArrayList<Hop>();
        try {
            if (pass(from, Direction.EGRESS, request, requestHops) && pass(to, Direction.INGRESS, request, requestHops)
                    && pass(to, Direction.EGRESS, reply, replyHops)) {
                pass(from, Direction.INGRESS, reply, replyHops);
            }
        } finally {
            datapath.forgetConnection(WeirMaps.connectionKey(client, server, CLIENT_PORT, port, protocol.number));
        }
        return new Connection(from, to, port, protocol, requestHops, replyHops);
    }

    /** Runs the hook when {@code target} is a pod; true when the packet goes on. */
    private boolean pass(Target target, Direction direction, byte[] frame, List<Hop> hops) {
        if (!(target instanceof Target.Pod pod)) {
            return true;
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
        Hop hop = new Hop(pod.ref(), direction, program, allowed, reason, policy, rule);
        hops.add(hop);
        return allowed;
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
