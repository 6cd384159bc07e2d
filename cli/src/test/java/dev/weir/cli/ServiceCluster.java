package dev.weir.cli;

/**
 * A database behind a ClusterIP Service, and two clients in a default-deny namespace: app/client's egress
 * policy allows pods app=db on 5432, which the Service's cluster IP must now count as (before Services were
 * translated it was "world" and blocked); app/other has no such rule.
 */
final class ServiceCluster {
    static final String DB_CLUSTER_IP = "10.96.0.10";

    static final String YAML = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: app}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: app, labels: {app: client}}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: other, namespace: app, labels: {app: other}}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db-0, namespace: app, labels: {app: db}}
            spec:
              containers:
              - name: postgres
                ports: [{name: pg, containerPort: 5432}]
            status: {podIP: 10.0.0.3}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: app}
            spec:
              clusterIP: 10.96.0.10
              selector: {app: db}
              ports: [{name: pg, port: 5432, targetPort: pg}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny, namespace: app}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: client-to-db, namespace: app}
            spec:
              podSelector: {matchLabels: {app: client}}
              policyTypes: [Egress]
              egress:
              - to: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: 5432}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db, namespace: app}
            spec:
              podSelector: {matchLabels: {app: db}}
              policyTypes: [Ingress]
              ingress:
              - from: [{podSelector: {}}]
                ports: [{port: 5432}]
            """;

    private ServiceCluster() {}
}
