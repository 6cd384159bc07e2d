package dev.weir.cli;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Which pods can open a connection to which, on one port: rows are sources, columns destinations, both in
 * input order.
 */
record Reachability(List<PodRef> pods, boolean[][] allowed) {

    /** Probes every ordered pair of pods that have an IPv4 address; says on {@code err} which pods it leaves out. */
    static Reachability probe(ClusterState cluster, Simulator simulator, int port, Protocol protocol, PrintWriter err) {
        var pods = new ArrayList<PodRef>();
        for (ClusterPod pod : cluster.pods()) {
            if (simulator.hasAddress(pod.ref())) {
                pods.add(pod.ref());
            } else {
                err.println("weir: warning: skipping pod " + pod.ref() + ": it has no IPv4 address (status.podIP)");
            }
        }
        boolean[][] allowed = new boolean[pods.size()][pods.size()];
        for (int from = 0; from < pods.size(); from++) {
            for (int to = 0; to < pods.size(); to++) {
                allowed[from][to] = simulator.connect(Target.pod(pods.get(from)), Target.pod(pods.get(to)), port, protocol).allowed();
            }
        }
        return new Reachability(List.copyOf(pods), allowed);
    }

    /**
     * The truth table as upstream's e2e tests print it (truthtable.go PrettyPrint): a header of destinations,
     * a row per source, '.' allowed, 'X' blocked. Upstream aligns it with a tabwriter; here every column is as
     * wide as the longest pod name, padded with spaces, so it lines up in any terminal and survives copying.
     */
    String table() {
        int width = pods.stream().mapToInt(pod -> pod.toString().length()).max().orElse(1);
        var lines = new ArrayList<String>();
        var header = new ArrayList<String>(List.of("-"));
        pods.forEach(pod -> header.add(pod.toString()));
        lines.add(row(header, width));
        for (int from = 0; from < pods.size(); from++) {
            var row = new ArrayList<String>(List.of(pods.get(from).toString()));
            for (int to = 0; to < pods.size(); to++) {
                row.add(allowed[from][to] ? "." : "X");
            }
            lines.add(row(row, width));
        }
        return String.join("\n", lines);
    }

    /** Cells padded to {@code width}, one space apart, without trailing spaces. */
    private static String row(List<String> cells, int width) {
        var text = new StringBuilder();
        for (String cell : cells) {
            text.append(cell).append(" ".repeat(width - cell.length() + 1));
        }
        return text.toString().stripTrailing();
    }
}
