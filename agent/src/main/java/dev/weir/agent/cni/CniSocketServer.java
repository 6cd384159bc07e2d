package dev.weir.agent.cni;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's Unix socket for the CNI plugin (Netty, epoll). One request per connection, framed by a
 * 4-byte length: the plugin's {@link CniFrame} in, {@code "<exit code>\n<standard output>"} out. Commands run one at
 * a time off the event loop (wiring and loading are blocking system calls).
 */
public final class CniSocketServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CniSocketServer.class.getName());
    /** Above the largest frame the plugin sends (two parts of at most {@link CniFrame#MAX_PART}). */
    private static final int MAX_REQUEST = 4 << 20;

    private final Path path;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("weir-cni").factory());
    private final Channel channel;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();

    /** CNI commands answered, and those answered with an error, since the start. */
    public long requests() {
        return requests.get();
    }

    public long errors() {
        return errors.get();
    }

    public CniSocketServer(Path path, CniService service) throws IOException, InterruptedException {
        this.path = path;
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path); // left by an agent that was killed
        channel = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel child) {
                        child.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_REQUEST, 0, 4, 0, 4), new LengthFieldPrepender(4),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                                        // An oversized or garbled frame: the plugin sees the connection close
                                        // and reports the agent unreachable, rather than waiting forever.
                                        LOG.warning("CNI connection dropped: " + cause);
                                        context.close();
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) {
                                        byte[] request = ByteBufUtil.getBytes(frame);
                                        worker.execute(() -> {
                                            String answer = answer(service, request);
                                            requests.incrementAndGet();
                                            if (!answer.startsWith("0\n")) errors.incrementAndGet();
                                            context.writeAndFlush(context.alloc().buffer().writeBytes(answer.getBytes(StandardCharsets.UTF_8)))
                                                    .addListener(ChannelFutureListener.CLOSE);
                                        });
                                    }
                                });
                    }
                })
                .bind(new DomainSocketAddress(path.toFile())).sync().channel();
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    static String answer(CniService service, byte[] frame) {
        String version = null;
        try {
            CniRequest request = CniRequest.parse(frame);
            version = request.cniVersion();
            return "0\n" + service.handle(request);
        } catch (CniError e) {
            LOG.info("CNI error " + e.code() + ": " + e.getMessage() + (e.details().isEmpty() ? "" : " (" + e.details() + ")"));
            return "1\n" + CniService.errorJson(version, e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CNI request failed", e);
            return "1\n" + CniService.errorJson(version, new CniError(CniError.IO_FAILURE, "the agent failed", e.getMessage() == null ? "see the agent's log" : e.getMessage()));
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warning("cannot remove " + path + ": " + e.getMessage());
        }
    }
}
