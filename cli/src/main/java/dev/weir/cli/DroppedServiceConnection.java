package dev.weir.cli;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.policy.Direction;
import dev.weir.compiler.simulate.Connection;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import dev.weir.compiler.simulate.Translation;
import dev.weir.datapath.packet.Frames;
import java.nio.ByteBuffer;

/**
 * The backend of a Service connection that the client's own egress program dropped. The program translates
 * before it applies policy, so the verdict is about that backend; the simulator reports no translation for a
 * dropped first packet, so this runs the program once more and reads the destination it left in the packet.
 */
final class DroppedServiceConnection {
    private DroppedServiceConnection() {}

    /** The connection with its translation filled in, or unchanged when it is not such a connection. */
    static Connection withBackend(Connection connection, CompiledCluster compiled, Datapath datapath) {
        if (connection.translation() != null || connection.request().size() != 1 || connection.request().getFirst().allowed()
                || !(connection.from() instanceof Target.Pod client) || !(connection.to() instanceof Target.Address service)
                || compiled.services().frontend(service.ipv4(), connection.port(), connection.protocol()).isEmpty()) {
            return connection;
        }
        PodEndpoint endpoint = compiled.endpoint(client.ref()).orElseThrow();
        int from = endpoint.ipv4(), to = service.ipv4(), port = connection.port(), protocol = connection.protocol().number;
        byte[] frame = switch (connection.protocol()) {
            case TCP -> Frames.tcp(from, to, Simulator.CLIENT_PORT, port, Frames.TCP_SYN);
            case UDP -> Frames.udp(from, to, Simulator.CLIENT_PORT, port, new byte[8]);
            case SCTP -> Frames.sctp(from, to, Simulator.CLIENT_PORT, port);
        };
        String program = compiled.namespace(client.ref().namespace()).program(Direction.EGRESS);
        ByteBuffer out = ByteBuffer.wrap(datapath.run(program, endpoint, frame).packet());
        int backend = out.getInt(30), backendPort = Short.toUnsignedInt(out.getShort(36));
        datapath.forgetConnection(WeirMaps.connectionKey(from, backend, Simulator.CLIENT_PORT, backendPort, protocol));
        datapath.forget(LbMaps.NAT, LbMaps.natKey(from, to, Simulator.CLIENT_PORT, port, protocol, LbMaps.FORWARD));
        datapath.forget(LbMaps.NAT, LbMaps.natKey(backend, from, backendPort, Simulator.CLIENT_PORT, protocol, LbMaps.REVERSE));
        if (backend == to && backendPort == port) {
            return connection; // not translated (no backend): nothing to name
        }
        var pod = compiled.endpoints().values().stream().filter(e -> e.ipv4() != null && e.ipv4() == backend)
                .map(PodEndpoint::pod).findFirst();
        Target server = pod.<Target>map(Target::pod).orElse(Target.address(backend));
        return new Connection(connection.from(), server, port, connection.protocol(), connection.request(), connection.reply(),
                new Translation(to, port, backend, backendPort, pod.orElse(null), false));
    }
}
