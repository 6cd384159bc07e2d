package dev.weir.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /healthz (liveness), /readyz (readiness) and /metrics (Prometheus) on the JDK's own HTTP server: three
 * fixed answers do not need a web framework.
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    public HttpEndpoints(int port, BooleanSupplier alive, BooleanSupplier ready, Supplier<String> metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        server.createContext("/healthz", exchange -> answer(exchange, alive.getAsBoolean() ? 200 : 503, "text/plain", alive.getAsBoolean() ? "ok\n" : "not running\n"));
        server.createContext("/readyz", exchange -> answer(exchange, ready.getAsBoolean() ? 200 : 503, "text/plain", ready.getAsBoolean() ? "ok\n" : "not ready\n"));
        server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4", metrics.get()));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
