package dev.weir.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void healthzAnswersWhileAlive() throws Exception {
        try (var endpoints = new HttpEndpoints(loopback(), Probe.PASSES, Probe.PASSES, registry);
             var http = HttpClient.newHttpClient()) {
            var response = get(http, endpoints, "/healthz");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void readyzIs503WithTheReasonUntilReady() throws Exception {
        var notReady = new AtomicReference<>("no verified state yet");
        try (var endpoints = new HttpEndpoints(loopback(), Probe.PASSES, notReady::get, registry);
             var http = HttpClient.newHttpClient()) {
            var waiting = get(http, endpoints, "/readyz");
            assertThat(waiting.statusCode()).isEqualTo(503);
            assertThat(waiting.body()).isEqualTo("no verified state yet\n");

            notReady.set(null);
            assertThat(get(http, endpoints, "/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthzIs503WithTheReasonWhenNotAlive() throws Exception {
        try (var endpoints = new HttpEndpoints(loopback(), Probe.when(() -> false, "not running"), Probe.PASSES, registry);
             var http = HttpClient.newHttpClient()) {
            var response = get(http, endpoints, "/healthz");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("not running\n");
        }
    }

    @Test
    void metricsServesTheRegistryInPrometheusTextFormat() throws Exception {
        Counter.builder("weir.test.things").description("Things counted.").register(registry).increment(3);
        try (var endpoints = new HttpEndpoints(loopback(), Probe.PASSES, Probe.PASSES, registry);
             var http = HttpClient.newHttpClient()) {
            var response = get(http, endpoints, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(response.body()).contains("# TYPE weir_test_things_total counter", "weir_test_things_total 3");
        }
    }

    @Test
    void everyScrapeRunsTheRefreshFirst() throws Exception {
        var refreshes = new AtomicInteger();
        try (var endpoints = new HttpEndpoints(loopback(), Probe.PASSES, Probe.PASSES, registry, refreshes::incrementAndGet);
             var http = HttpClient.newHttpClient()) {
            get(http, endpoints, "/metrics");
            get(http, endpoints, "/metrics");
            get(http, endpoints, "/healthz");
            assertThat(refreshes).hasValue(2);
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        try (var endpoints = new HttpEndpoints(loopback(), Probe.PASSES, Probe.PASSES, registry);
             var http = HttpClient.newHttpClient()) {
            assertThat(get(http, endpoints, "/nope").statusCode()).isEqualTo(404);
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    private static HttpResponse<String> get(HttpClient http, HttpEndpoints endpoints, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
