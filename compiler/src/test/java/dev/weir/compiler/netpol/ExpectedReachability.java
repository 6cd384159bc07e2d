package dev.weir.compiler.netpol;

import dev.weir.compiler.cluster.PodRef;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The expected pod-to-pod truth table, set the way upstream's reachability.go does: start from everything
 * allowed (or denied) and set exceptions. Like upstream (ignoreLoopback), a pod's traffic to itself is not
 * compared; Weir always allows it, which the reference evaluator's own tests check.
 */
public final class ExpectedReachability {

    private final List<PodRef> pods;
    private final boolean[][] expected;

    private ExpectedReachability(List<PodRef> pods, boolean initial) {
        this.pods = List.copyOf(pods);
        this.expected = new boolean[pods.size()][pods.size()];
        for (boolean[] row : expected) {
            java.util.Arrays.fill(row, initial);
        }
    }

    /** Upstream's NewReachability(model pods, true). */
    public static ExpectedReachability allAllowed() {
        return new ExpectedReachability(UpstreamModel.allPods(), true);
    }

    public ExpectedReachability expect(String from, String to, boolean connected) {
        expected[index(PodRef.parse(from))][index(PodRef.parse(to))] = connected;
        return this;
    }

    public ExpectedReachability expectAllIngress(String to, boolean connected) {
        int column = index(PodRef.parse(to));
        for (boolean[] row : expected) {
            row[column] = connected;
        }
        return this;
    }

    public ExpectedReachability expectAllEgress(String from, boolean connected) {
        java.util.Arrays.fill(expected[index(PodRef.parse(from))], connected);
        return this;
    }

    public ExpectedReachability expectPeer(Peer from, Peer to, boolean connected) {
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                if (from.matches(pods.get(i)) && to.matches(pods.get(j))) {
                    expected[i][j] = connected;
                }
            }
        }
        return this;
    }

    public List<PodRef> pods() {
        return pods;
    }

    public boolean expected(PodRef from, PodRef to) {
        return expected[index(from)][index(to)];
    }

    /** A table like upstream's PrettyPrint: rows are sources, columns destinations, '.' allowed, 'X' denied. */
    public String render(BiPredicate<PodRef, PodRef> allowed) {
        var text = new StringBuilder("-\t");
        pods.forEach(pod -> text.append(pod).append('\t'));
        for (PodRef from : pods) {
            text.append('\n').append(from).append('\t');
            for (PodRef to : pods) {
                text.append(allowed.test(from, to) ? '.' : 'X').append('\t');
            }
        }
        return text.toString();
    }

    public String render() {
        return render(this::expected);
    }

    private int index(PodRef pod) {
        int index = pods.indexOf(pod);
        if (index < 0) {
            throw new IllegalArgumentException("no pod " + pod + " in the model");
        }
        return index;
    }
}
