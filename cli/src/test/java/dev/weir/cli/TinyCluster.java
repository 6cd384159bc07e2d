package dev.weir.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cluster small enough to know its truth table by heart: x/a and x/b behind a deny-all-ingress policy, y/d
 * in a namespace without policies, and x/c, which has no address yet.
 */
final class TinyCluster {
    static final String YAML = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {app: a}}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {app: b}}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: c, namespace: x, labels: {app: c}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: d, namespace: y, labels: {app: d}}
            status: {podIP: 10.0.1.4}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all-ingress, namespace: x}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
            """;

    /** A policy the API server would refuse (ICMP is no NetworkPolicy protocol); the others still compile. */
    static final String REFUSED_POLICY = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: icmp, namespace: y}
            spec:
              podSelector: {}
              ingress:
              - ports:
                - {protocol: ICMP, port: 7}
            """;

    private TinyCluster() {}

    static Path write(Path folder, String yaml) {
        try {
            return Files.writeString(folder.resolve("cluster.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path folder) {
        return write(folder, YAML);
    }
}
