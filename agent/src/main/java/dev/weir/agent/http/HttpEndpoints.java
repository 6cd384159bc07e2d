package dev.weir.agent.http;

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
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoints (Netty): {@code /healthz} (the process serves), {@code /readyz} (200 once the
 * node runs a verified state, else 503 with the reason) and {@code /metrics} (Prometheus text).
 */
public final class HttpEndpoints implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    /** @param notReady null when ready, else why not */
    public HttpEndpoints(InetSocketAddress address, Supplier<String> notReady, Supplier<String> metrics) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel child) {
                        child.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
                                String path = request.uri().split("\\?")[0];
                                switch (path) {
                                    case "/healthz" -> answer(context, HttpResponseStatus.OK, "text/plain", "ok\n");
                                    case "/readyz" -> {
                                        String why = notReady.get();
                                        answer(context, why == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain",
                                                why == null ? "ready\n" : why + "\n");
                                    }
                                    case "/metrics" -> answer(context, HttpResponseStatus.OK, "text/plain; version=0.0.4", metrics.get());
                                    default -> answer(context, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
                                }
                            }
                        });
                    }
                })
                .bind(address).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private static void answer(ChannelHandlerContext context, HttpResponseStatus status, String type, String body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
