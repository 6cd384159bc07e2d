package dev.weir.cli;

import dev.weir.operator.WeirOperator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** weir operator: runs the operator against the cluster of the kubeconfig in use, until stopped. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run Weir's operator against a cluster: compile its NetworkPolicies and publish signed programs and maps.")
final class OperatorCommand implements Callable<Integer> {

    @Option(names = "--namespace", defaultValue = "weir-system", paramLabel = "NS",
            description = "The operator's namespace: its signing key and numbering live there (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "A kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Where /healthz, /readyz and /metrics are served (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Config config = kubeconfig == null ? new ConfigBuilder().build() : Config.fromKubeconfig(Files.readString(kubeconfig));
        config.setRequestRetryBackoffLimit(0); // an unreachable cluster is an error now, not after minutes of retries
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             WeirOperator operator = new WeirOperator(client, namespace, "0.1.0", true)) {
            operator.start();
            var endpoints = operator.serveEndpoints(port);
            Runtime.getRuntime().addShutdownHook(new Thread(endpoints::close));
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.err.println("weir operator: running against " + config.getMasterUrl() + ", namespace " + namespace);
            stopped.await();
        }
        return 0;
    }
}
