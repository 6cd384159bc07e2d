package dev.weir.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The operator's and the agent's HTTP endpoints (Netty): {@code /healthz} (200 while alive, else 503 with the
 * reason), {@code /readyz} (200 once ready, else 503 with the reason) and {@code /metrics} (the registry in
 * Prometheus' text format). Anything else is a 404.
 */
public final class HttpEndpoints implements AutoCloseable {
    /** Prometheus' text exposition format, the one {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    /**
     * @param beforeScrape run before each scrape: brings meters that mirror state kept elsewhere (a kernel
     *                     map's entries) up to date, so /metrics never shows a stale set of series
     */
    public HttpEndpoints(InetSocketAddress address, Probe alive, Probe ready, PrometheusMeterRegistry registry, Runnable beforeScrape)
            throws InterruptedException {
        var routes = new Routes(alive, ready, registry, beforeScrape);
        try {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel child) {
                            child.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), routes.handler());
                        }
                    })
                    .bind(address).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public HttpEndpoints(InetSocketAddress address, Probe alive, Probe ready, PrometheusMeterRegistry registry) throws InterruptedException {
        this(address, alive, ready, registry, () -> {});
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What each path answers. */
    private record Routes(Probe alive, Probe ready, PrometheusMeterRegistry registry, Runnable beforeScrape) {
        SimpleChannelInboundHandler<FullHttpRequest> handler() {
            return new SimpleChannelInboundHandler<>() {
                @Override
                protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
                    String path = request.uri().split("\\?", 2)[0];
                    switch (path) {
                        case "/healthz" -> probe(context, alive, "ok\n");
                        case "/readyz" -> probe(context, ready, "ready\n");
                        case "/metrics" -> {
                            beforeScrape.run();
                            answer(context, HttpResponseStatus.OK, METRICS_CONTENT_TYPE, registry.scrape());
                        }
                        default -> answer(context, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                    answer(context, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", cause + "\n");
                }
            };
        }

        private static void probe(ChannelHandlerContext context, Probe probe, String passed) {
            String failure = probe.failure();
            if (failure == null) answer(context, HttpResponseStatus.OK, "text/plain", passed);
            else answer(context, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", failure + "\n");
        }

        private static void answer(ChannelHandlerContext context, HttpResponseStatus status, String type, String body) {
            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
