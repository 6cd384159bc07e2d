package dev.weir.compiler.netpol;

import static dev.weir.compiler.netpol.Policies.anyPort;
import static dev.weir.compiler.netpol.Policies.egressOn;
import static dev.weir.compiler.netpol.Policies.egressRules;
import static dev.weir.compiler.netpol.Policies.everything;
import static dev.weir.compiler.netpol.Policies.from;
import static dev.weir.compiler.netpol.Policies.ingress;
import static dev.weir.compiler.netpol.Policies.ingressOn;
import static dev.weir.compiler.netpol.Policies.ingressRules;
import static dev.weir.compiler.netpol.Policies.ipBlock;
import static dev.weir.compiler.netpol.Policies.matchExpression;
import static dev.weir.compiler.netpol.Policies.matchLabels;
import static dev.weir.compiler.netpol.Policies.namedPort;
import static dev.weir.compiler.netpol.Policies.namespacePeer;
import static dev.weir.compiler.netpol.Policies.peer;
import static dev.weir.compiler.netpol.Policies.podPeer;
import static dev.weir.compiler.netpol.Policies.policy;
import static dev.weir.compiler.netpol.Policies.policyTypes;
import static dev.weir.compiler.netpol.Policies.port;
import static dev.weir.compiler.netpol.Policies.to;
import static dev.weir.compiler.netpol.Peer.any;
import static dev.weir.compiler.netpol.Peer.namespace;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.netpol.NetpolCase.Step;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's NetworkPolicy e2e cases (kubernetes test/e2e/network/netpol/network_policy.go), ported to the
 * full 9-pod model with their truth tables written as upstream writes them. Upstream now creates only the pods
 * a test needs; on the full model a few tables gain the rows for the extra pods, noted "(full model)".
 * Policies are created in namespace x unless a case says otherwise.
 */
public final class UpstreamCases {

    private static final String NS_NAME = ClusterNamespace.NAME_LABEL;

    private UpstreamCases() {}

    public static List<NetpolCase> all() {
        var cases = new ArrayList<NetpolCase>();
        cases.addAll(tcpCases());
        cases.addAll(egressAndIpBlockCases());
        cases.addAll(protocolCases());
        cases.addAll(weirPortRangeCases());
        return cases;
    }

    private static List<NetpolCase> tcpCases() {
        var cases = new ArrayList<NetpolCase>();
        cases.add(NetpolCase.of("default-deny-ingress", "should support a 'default-deny-ingress' policy",
                with(policy("x", "deny-ingress", everything(), ingressRules())),
                Probe.tcp(80, allowed().expectPeer(any(), namespace("x"), false))));

        cases.add(NetpolCase.of("default-deny-all", "should support a 'default-deny-all' policy",
                with(policy("x", "deny-all", everything(), ingressRules(), egressRules())),
                Probe.tcp(80, allowed().expectPeer(any(), namespace("x"), false).expectPeer(namespace("x"), any(), false))));

        cases.add(NetpolCase.of("allow-from-same-namespace-pod",
                "should enforce policy to allow traffic from pods within server namespace based on PodSelector",
                with(policy("x", "x-a-allows-x-b", matchLabels("pod", "a"), ingressRules(from(podPeer(matchLabels("pod", "b")))))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("x/b", "x/a", true))));

        cases.add(NetpolCase.of("allow-ingress-for-a-target", "should enforce policy to allow ingress traffic for a target",
                with(policy("x", "deny-all", everything(), ingressRules()),
                        policy("x", "allow-all-to-a", matchLabels("pod", "a"), ingressRules(from(peer(everything(), everything()))))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", true).expectAllIngress("x/b", false)
                        .expectAllIngress("x/c", false)))); // x/c: (full model)

        cases.add(NetpolCase.of("allow-from-all-namespaces", "should enforce policy to allow ingress traffic from pods in all namespaces",
                with(policy("x", "allow-from-another-ns", matchLabels("pod", "a"), ingressRules(from(namespacePeer(everything()))))),
                Probe.tcp(80, allowed())));

        cases.add(NetpolCase.of("allow-from-other-namespace-by-label",
                "should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector",
                with(policy("x", "allow-client-a-via-ns-selector", matchLabels("pod", "a"),
                        ingressRules(from(namespacePeer(matchLabels(NS_NAME, "y")))))),
                Probe.tcp(80, fromYOnlyToXa())));

        cases.add(NetpolCase.of("pod-selector-match-expressions", "should enforce policy based on PodSelector with MatchExpressions",
                with(policy("x", "x-a-allows-x-b", matchLabels("pod", "a"),
                        ingressRules(from(podPeer(matchExpression("pod", "In", "b")))))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("x/b", "x/a", true))));

        cases.add(NetpolCase.of("namespace-selector-match-expressions",
                "should enforce policy based on NamespaceSelector with MatchExpressions",
                with(policy("x", "allow-ns-y-match-selector", matchLabels("pod", "a"),
                        ingressRules(from(namespacePeer(matchExpression(NS_NAME, "In", "y")))))),
                Probe.tcp(80, fromYOnlyToXa())));

        cases.add(NetpolCase.of("pod-selector-or-namespace-selector", "should enforce policy based on PodSelector or NamespaceSelector",
                with(policy("x", "allow-ns-y-match-selector", matchLabels("pod", "a"), ingressRules(from(
                        namespacePeer(matchExpression(NS_NAME, "NotIn", "x")), podPeer(matchLabels("pod", "b")))))),
                Probe.tcp(80, allowed().expect("x/a", "x/a", false).expect("x/c", "x/a", false))));

        cases.add(NetpolCase.of("pod-selector-and-namespace-selector", "should enforce policy based on PodSelector and NamespaceSelector",
                with(policy("x", "allow-ns-y-podselector-and-nsselector", matchLabels("pod", "a"), ingressRules(from(
                        peer(matchExpression(NS_NAME, "NotIn", "x"), matchLabels("pod", "b")))))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("y/b", "x/a", true).expect("z/b", "x/a", true))));

        cases.add(NetpolCase.of("multiple-pod-and-namespace-selectors",
                "should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
                with(policy("x", "allow-ns-y-z-pod-b-c", matchLabels("pod", "a"), ingressRules(from(
                        peer(matchExpression(NS_NAME, "NotIn", "x"), matchExpression("pod", "In", "b", "c")))))),
                Probe.tcp(80, allowed().expectPeer(namespace("x"), Peer.pod("x", "a"), false).expect("y/a", "x/a", false)
                        .expect("z/a", "x/a", false)))); // z/a: (full model)

        cases.add(NetpolCase.of("any-pod-selectors", "should enforce policy based on any PodSelectors",
                with(policy("x", "allow-ns-x-pod-b-c", matchLabels("pod", "a"), ingressRules(from(
                        podPeer(matchLabels("pod", "b")), podPeer(matchLabels("pod", "c")))))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("x/b", "x/a", true).expect("x/c", "x/a", true))));

        cases.add(NetpolCase.of("pod-in-other-namespace-by-both-selectors",
                "should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
                with(onlyYaToXa("allow-ns-y-pod-a-via-namespace-pod-selector")),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("y/a", "x/a", true))));

        cases.add(NetpolCase.of("ports", "should enforce policy based on Ports",
                with(fromYOnPort("allow-client-a-via-ns-selector", 81, Protocol.TCP)),
                Probe.tcp(81, fromYOnlyToXa())));

        cases.add(stackedPolicies());

        cases.add(NetpolCase.of("allow-all", "should support allow-all policy",
                with(policy("x", "allow-all", everything(), ingressRules(ingressOn()))),
                Probe.tcp(80, allowed()), Probe.tcp(81, allowed())));

        cases.add(NetpolCase.of("ingress-one-named-port", "should allow ingress access on one named port",
                with(policy("x", "allow-all", everything(), ingressRules(ingressOn(namedPort("serve-81-tcp"))))),
                Probe.tcp(81, allowed()), Probe.tcp(80, allowed().expectPeer(any(), namespace("x"), false))));

        cases.add(NetpolCase.of("ingress-from-namespace-one-named-port", "should allow ingress access from namespace on one named port",
                with(policy("x", "allow-client-a-via-ns-selector-80", matchLabels("pod", "a"), ingressRules(ingress(
                        List.of(namespacePeer(matchLabels(NS_NAME, "y"))), List.of(namedPort("serve-80-tcp", Protocol.TCP)))))),
                Probe.tcp(80, fromYOnlyToXa()), Probe.tcp(81, allowed().expectAllIngress("x/a", false))));

        cases.add(NetpolCase.of("egress-one-named-port", "should allow egress access on one named port",
                with(policy("x", "allow-egress", everything(), egressRules(egressOn(namedPort("serve-80-tcp"))))),
                Probe.tcp(80, allowed()), Probe.tcp(81, allowed().expectPeer(namespace("x"), any(), false))));

        NetworkPolicy allowAllMutable = policy("x", "allow-all-mutate-to-deny-all", everything(), ingressRules(ingressOn()));
        NetworkPolicy mutatedToDenyAll = policy("x", "allow-all-mutate-to-deny-all", everything(), ingressRules());
        cases.add(new NetpolCase("updated-policy", "should enforce updated policy", List.of(
                new Step("allow all", with(allowAllMutable), List.of(Probe.tcp(81, allowed()))),
                new Step("updated to deny all", with(allowAllMutable).withPolicy(mutatedToDenyAll),
                        List.of(Probe.tcp(81, allowed().expectPeer(any(), namespace("x"), false)))))));

        NetworkPolicy fromNs2Updated = policy("x", "allow-client-a-via-ns-selector", matchLabels("pod", "a"),
                ingressRules(from(namespacePeer(matchLabels("ns2", "updated")))));
        cases.add(new NetpolCase("ingress-from-updated-namespace", "should allow ingress access from updated namespace", List.of(
                new Step("before the label", with(fromNs2Updated), List.of(Probe.tcp(80, allowed().expectAllIngress("x/a", false)))),
                new Step("y labelled ns2=updated", with(fromNs2Updated).withNamespaceLabels("y", Map.of("ns", "y", "ns2", "updated")),
                        List.of(Probe.tcp(80, allowed().expectAllIngress("x/a", false).expectPeer(namespace("y"), any(), true)))))));

        NetworkPolicy fromPod2Updated = policy("x", "allow-client-a-via-pod-selector", matchLabels("pod", "a"),
                ingressRules(from(podPeer(matchLabels("pod", "b", "pod2", "updated")))));
        cases.add(new NetpolCase("ingress-from-updated-pod", "should allow ingress access from updated pod", List.of(
                new Step("before the label", with(fromPod2Updated), List.of(Probe.tcp(80, allowed().expectAllIngress("x/a", false)))),
                new Step("x/b labelled pod2=updated",
                        with(fromPod2Updated).withPodLabels(PodRef.parse("x/b"), Map.of("pod", "b", "pod2", "updated")),
                        List.of(Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("x/b", "x/a", true)))))));

        cases.add(NetpolCase.of("deny-ingress-from-other-namespaces", "should deny ingress from pods on other namespaces",
                with(policy("x", "deny-empty-policy", everything(), ingressRules(from(podPeer(everything()))))),
                Probe.tcp(80, allowed().expectPeer(namespace("y"), namespace("x"), false)
                        .expectPeer(namespace("z"), namespace("x"), false))));

        NetworkPolicy isolateTarget = policy("x", "deny-ingress-via-label-selector", matchLabels("target", "isolated"), ingressRules());
        cases.add(new NetpolCase("deny-ingress-to-updated-pod", "should deny ingress access to updated pod", List.of(
                new Step("before the label", with(isolateTarget), List.of(Probe.tcp(80, allowed()))),
                new Step("x/a labelled target=isolated",
                        with(isolateTarget).withPodLabels(PodRef.parse("x/a"), Map.of("pod", "a", "target", "isolated")),
                        List.of(Probe.tcp(80, allowed().expectAllIngress("x/a", false)))))));

        cases.add(NetpolCase.of("allow-ingress-default-ns-label",
                "should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label",
                with(policy("x", "allow-client-a-via-ns-selector-for-immutable-ns-label", matchLabels("pod", "a"),
                        ingressRules(from(namespacePeer(matchLabels(NS_NAME, "y")))))),
                Probe.tcp(80, fromYOnlyToXa())));

        cases.add(new NetpolCase("multiple-ingress-allow-all-precedence",
                "should enforce multiple ingress policies with ingress allow-all policy taking precedence", List.of(
                new Step("only port 80", with(policy("x", "allow-ingress-port-80", everything(), ingressRules(ingressOn(port(80))))),
                        List.of(Probe.tcp(81, allowed().expectPeer(any(), namespace("x"), false)))),
                new Step("plus allow all", with(policy("x", "allow-ingress-port-80", everything(), ingressRules(ingressOn(port(80)))),
                        policy("x", "allow-ingress", everything(), ingressRules(ingressOn()))),
                        List.of(Probe.tcp(81, allowed()))))));

        NetworkPolicy denyAllX = policy("x", "deny-all", everything(), ingressRules(), egressRules());
        cases.add(new NetpolCase("stop-enforcing-after-delete", "should stop enforcing policies after they are deleted", List.of(
                new Step("deny all in x", with(denyAllX), List.of(Probe.tcp(80,
                        allowed().expectPeer(namespace("x"), any(), false).expectPeer(any(), namespace("x"), false)))),
                new Step("policies deleted", with(denyAllX).withoutPolicies(), List.of(Probe.tcp(80, allowed()))))));
        return cases;
    }

    private static List<NetpolCase> egressAndIpBlockCases() {
        var cases = new ArrayList<NetpolCase>();
        cases.add(NetpolCase.of("deny-egress-by-pod-selector", "should deny egress from pods based on PodSelector",
                with(policy("x", "deny-egress-pod-a", matchLabels("pod", "a"), egressRules())),
                Probe.tcp(80, allowed().expectAllEgress("x/a", false))));

        cases.add(NetpolCase.of("deny-egress-whole-namespace", "should deny egress from all pods in a namespace",
                with(policy("x", "deny-egress-ns-x", everything(), egressRules())),
                Probe.tcp(80, allowed().expectPeer(namespace("x"), any(), false))));

        cases.add(NetpolCase.of("ingress-and-egress-together", "should work with Ingress, Egress specified together",
                with(policy("x", "allow-client-a-via-pod-selector", matchLabels("pod", "a"),
                        ingressRules(from(podPeer(matchLabels("pod", "b")))),
                        spec -> spec.setEgress(new ArrayList<>(List.of(egressOn(port(80))))),
                        policyTypes("Egress", "Ingress"))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expect("x/b", "x/a", true)),
                Probe.tcp(81, allowed().expectAllIngress("x/a", false).expectAllEgress("x/a", false).expect("x/b", "x/a", true))));

        NetworkPolicy xaAllowsToYa = policy("x", "allow-to-ns-y-pod-a", matchLabels("pod", "a"),
                egressRules(to(peer(matchLabels(NS_NAME, "y"), matchLabels("pod", "a")))));
        var fromXa = from(peer(matchLabels(NS_NAME, "x"), matchLabels("pod", "a")));
        cases.add(NetpolCase.of("egress-denied-on-client-side",
                "should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)",
                with(xaAllowsToYa,
                        policy("y", "allow-from-xa-on-ya-match-selector", matchLabels("pod", "a"), ingressRules(fromXa)),
                        policy("y", "allow-from-xa-on-yb-match-selector", matchLabels("pod", "b"), ingressRules(fromXa))),
                Probe.tcp(80, allowed().expectPeer(Peer.pod("x", "a"), any(), false).expectPeer(any(), Peer.pod("y", "a"), false)
                        .expectPeer(Peer.pod("x", "a"), Peer.pod("y", "a"), true).expectPeer(any(), Peer.pod("y", "b"), false))));

        cases.add(NetpolCase.of("egress-to-pod-in-other-namespace",
                "should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector",
                with(xaAllowsToYa),
                Probe.tcp(80, allowed().expectAllEgress("x/a", false).expect("x/a", "y/a", true))));

        cases.add(NetpolCase.of("egress-namespace-selector-default-ns-label",
                "should enforce policy based on NamespaceSelector with MatchExpressions using default ns label",
                with(policy("x", "allow-ns-y-match-selector-for-immutable-ns-label", matchLabels("pod", "a"),
                        egressRules(to(namespacePeer(matchExpression(NS_NAME, "NotIn", "y")))))),
                Probe.tcp(80, allowed().expectPeer(Peer.pod("x", "a"), namespace("y"), false))));

        cases.add(new NetpolCase("egress-and-ingress-independent",
                "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector", List.of(
                new Step("allow egress for x/a", with(allowEgressForXa()), List.of(Probe.tcp(80, allowed()))),
                new Step("plus deny ingress to x/a", with(allowEgressForXa(),
                        policy("x", "deny-ingress-via-label-selector", matchLabels("pod", "a"), ingressRules())),
                        List.of(Probe.tcp(80, allowed().expectAllIngress("x/a", false)))))));

        cases.add(new NetpolCase("multiple-egress-allow-all-precedence",
                "should enforce multiple egress policies with egress allow-all policy taking precedence", List.of(
                new Step("only port 80", with(allowEgressPort80()),
                        List.of(Probe.tcp(81, allowed().expectPeer(namespace("x"), any(), false)))),
                new Step("plus allow all", with(allowEgressPort80(),
                        policy("x", "allow-egress", everything(), egressRules(egressOn()))),
                        List.of(Probe.tcp(81, allowed()))))));

        String ybIp = UpstreamModel.ipOf("y", "b");
        cases.add(NetpolCase.of("egress-to-cidr", "should allow egress access to server in CIDR block",
                with(policy("x", "allow-client-a-via-cidr-egress-rule", matchLabels("pod", "a"), egressRules(to(ipBlock(ybIp + "/32"))))),
                Probe.tcp(80, allowed().expectAllEgress("x/a", false).expect("x/a", "y/b", true))));

        String xbIp = UpstreamModel.ipOf("x", "b");
        NetworkPolicy allButXb = policy("x", "allow-client-a-via-cidr-egress-rule", matchLabels("pod", "a"),
                egressRules(to(ipBlock(UpstreamModel.largeCidrFor(xbIp), xbIp + "/32"))));
        cases.add(NetpolCase.of("egress-cidr-except", "should enforce except clause while egress access to server in CIDR block",
                with(allButXb), Probe.tcp(80, allowed().expect("x/a", "x/b", false))));

        NetworkPolicy onlyXb = policy("x", "allow-client-a-via-cidr-egress-rule", matchLabels("pod", "a"), egressRules(to(ipBlock(xbIp + "/32"))));
        cases.add(new NetpolCase("egress-cidr-and-except-overlap",
                "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed", List.of(
                new Step("cidr except x/b", with(allButXb), List.of(Probe.tcp(80, allowed().expect("x/a", "x/b", false)))),
                new Step("policy updated to x/b only", with(allButXb).withPolicy(onlyXb),
                        List.of(Probe.tcp(80, allowed().expectAllEgress("x/a", false).expect("x/a", "x/b", true)))))));
        return cases;
    }

    private static List<NetpolCase> protocolCases() {
        var cases = new ArrayList<NetpolCase>();
        cases.add(NetpolCase.of("any-port-on-one-protocol",
                "should enforce ingress policy allowing any port traffic to a server on a specific protocol",
                with(policy("x", "allow-ingress-by-proto", matchLabels("pod", "a"), ingressRules(ingressOn(anyPort(Protocol.TCP))))),
                Probe.tcp(80, allowed()),
                new Probe(80, Protocol.UDP, allowed().expectPeer(any(), Peer.pod("x", "a"), false))));

        cases.add(NetpolCase.of("sctp-is-not-tcp",
                "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
                with(policy("x", "deny-ingress", everything(), ingressRules()),
                        policy("x", "allow-only-sctp-ingress-on-port-81", matchLabels("pod", "a"),
                                ingressRules(ingressOn(port(81, Protocol.SCTP))))),
                Probe.tcp(81, allowed().expectPeer(any(), namespace("x"), false))));

        cases.add(NetpolCase.of("sctp-policy-isolates",
                "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
                with(policy("x", "allow-only-sctp-ingress-on-port-80", matchLabels("pod", "a"),
                        ingressRules(ingressOn(port(80, Protocol.SCTP))))),
                Probe.tcp(81, allowed().expectAllIngress("x/a", false))));

        cases.add(NetpolCase.of("udp-policy-does-not-allow-tcp", "should not allow access by TCP when a policy specifies only UDP",
                with(policy("x", "allow-only-udp-ingress-on-port-81", matchLabels("pod", "a"),
                        ingressRules(ingressOn(port(81, Protocol.UDP))))),
                Probe.tcp(81, allowed().expectAllIngress("x/a", false))));

        for (Protocol protocol : List.of(Protocol.UDP, Protocol.SCTP)) {
            String suffix = "-" + protocol.name().toLowerCase();
            String context = "NetworkPolicy between server and client using " + protocol + ": ";
            cases.add(NetpolCase.of("default-deny-ingress" + suffix, context + "should support a 'default-deny-ingress' policy",
                    with(policy("x", "deny-all", everything(), ingressRules())),
                    new Probe(80, protocol, allowed().expectPeer(any(), namespace("x"), false))));
            cases.add(NetpolCase.of("ports" + suffix, context + "should enforce policy based on Ports",
                    with(fromYOnPort("allow-ingress-on-port-81-ns-x", 81, protocol)),
                    new Probe(81, protocol, fromYOnlyToXa())));
            cases.add(NetpolCase.of("pod-in-other-namespace-by-both-selectors" + suffix, context
                            + "should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
                    with(onlyYaToXa("allow-ns-y-pod-a-via-namespace-pod-selector")),
                    new Probe(80, protocol, allowed().expectAllIngress("x/a", false).expect("y/a", "x/a", true))));
        }
        return cases;
    }

    /** Weir's own cases for what upstream's e2e leaves out: endPort (no e2e case) and policyTypes defaulting. */
    private static List<NetpolCase> weirPortRangeCases() {
        var cases = new ArrayList<NetpolCase>();
        String note = "Weir-authored, in upstream style";
        cases.add(NetpolCase.of("ingress-port-range", note,
                with(policy("x", "allow-y-on-80-to-81", matchLabels("pod", "a"), ingressRules(ingress(
                        List.of(namespacePeer(matchLabels("ns", "y"))), List.of(Policies.portRange(80, 81, Protocol.TCP)))))),
                Probe.tcp(80, fromYOnlyToXa()), Probe.tcp(81, fromYOnlyToXa()), Probe.tcp(82, allowed().expectAllIngress("x/a", false)),
                new Probe(80, Protocol.UDP, allowed().expectAllIngress("x/a", false))));
        cases.add(NetpolCase.of("egress-port-range-upper-bound-inclusive", note,
                with(policy("x", "allow-egress-79-to-80", everything(), egressRules(egressOn(Policies.portRange(79, 80, Protocol.TCP))))),
                Probe.tcp(80, allowed()), Probe.tcp(81, allowed().expectPeer(namespace("x"), any(), false))));
        cases.add(NetpolCase.of("egress-named-udp-port", note,
                with(policy("x", "allow-egress-serve-81-udp", everything(), egressRules(egressOn(namedPort("serve-81-udp", Protocol.UDP))))),
                new Probe(81, Protocol.UDP, allowed()),
                new Probe(80, Protocol.UDP, allowed().expectPeer(namespace("x"), any(), false)),
                Probe.tcp(81, allowed().expectPeer(namespace("x"), any(), false))));
        // Upstream's helpers always set policyTypes, so its cases never exercise the defaulting.
        cases.add(NetpolCase.of("policy-types-default-with-egress-rules", note + ": no policyTypes and egress rules isolate both ways",
                with(policy("x", "egress-to-y-no-types", matchLabels("pod", "a"),
                        spec -> spec.setEgress(new ArrayList<>(List.of(Policies.to(namespacePeer(matchLabels("ns", "y")))))))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false).expectAllEgress("x/a", false)
                        .expectPeer(Peer.pod("x", "a"), namespace("y"), true))));
        cases.add(NetpolCase.of("policy-types-default-empty-egress", note + ": no policyTypes and no egress rules isolate ingress only",
                with(policy("x", "no-rules-no-types", matchLabels("pod", "a"), spec -> spec.setEgress(new ArrayList<>()))),
                Probe.tcp(80, allowed().expectAllIngress("x/a", false))));
        return cases;
    }

    private static NetpolCase stackedPolicies() {
        NetworkPolicy port81 = fromYOnPort("allow-client-a-via-ns-selector", 81, Protocol.TCP);
        NetworkPolicy port80 = fromYOnPort("allow-client-a-via-ns-selector-80", 80, Protocol.TCP);
        return new NetpolCase("stacked-policies", "should enforce multiple, stacked policies with overlapping podSelectors", List.of(
                new Step("port 81 allowed from y", with(port81), List.of(
                        Probe.tcp(81, fromYOnlyToXa()), Probe.tcp(80, allowed().expectAllIngress("x/a", false)))),
                new Step("port 80 added", with(port81, port80), List.of(Probe.tcp(80, fromYOnlyToXa())))));
    }

    /** Upstream's table for "only namespace y may reach x/a": x and z denied to x/a, all else allowed. */
    private static ExpectedReachability fromYOnlyToXa() {
        return allowed().expectPeer(namespace("x"), Peer.pod("x", "a"), false)
                .expectPeer(namespace("z"), Peer.pod("x", "a"), false);
    }

    private static NetworkPolicy fromYOnPort(String name, int port, Protocol protocol) {
        return policy("x", name, matchLabels("pod", "a"), ingressRules(ingress(
                List.of(namespacePeer(matchLabels(NS_NAME, "y"))), List.of(port(port, protocol)))));
    }

    private static NetworkPolicy onlyYaToXa(String name) {
        return policy("x", name, matchLabels("pod", "a"), ingressRules(from(peer(matchLabels(NS_NAME, "y"), matchLabels("pod", "a")))));
    }

    private static NetworkPolicy allowEgressForXa() {
        return policy("x", "allow-egress-for-target", matchLabels("pod", "a"), egressRules(egressOn()));
    }

    private static NetworkPolicy allowEgressPort80() {
        return policy("x", "allow-egress-port-80", everything(), egressRules(egressOn(port(80))));
    }

    private static ClusterState with(NetworkPolicy... policies) {
        return UpstreamModel.cluster().withPolicies(List.of(policies));
    }

    private static ExpectedReachability allowed() {
        return ExpectedReachability.allAllowed();
    }
}
