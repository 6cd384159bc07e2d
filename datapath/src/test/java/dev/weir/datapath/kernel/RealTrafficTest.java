package dev.weir.datapath.kernel;

import static dev.weir.datapath.kernel.TrafficPrograms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Programs attached through bpf links enforce on real packets. Each test gets two fresh network
 * namespaces joined by a veth pair ({@link TwoNamespaces}): A (10.199.0.1) is the client, B
 * (10.199.0.2) the server. Sockets are opened inside the namespaces and used from the test's
 * threads; every packet stays between the two namespaces.
 *
 * <p>The link is quiet (no IPv6, permanent neighbours), so the programs' counters can be compared
 * exactly with what the test sent.
 */
@KernelTest
class RealTrafficTest {
    private static final int OPEN_UDP_PORT = 7000, OPEN_TCP_PORT = 7003;
    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final int RECEIVE_TIMEOUT_MS = 2_000;
    /** How long a datagram that was dropped is given to show up anyway. */
    private static final int NOTHING_ARRIVES_MS = 200;

    private TwoNamespaces net;
    private final List<Integer> linkIds = new ArrayList<>();

    @BeforeEach
    void createNamespaces() {
        net = TwoNamespaces.create();
    }

    @AfterEach
    void removeNamespacesAndCheckNothingIsLeft() {
        if (net == null) return;
        net.close();
        assertThat(net.leftovers()).as("namespaces and veths of %s after close", net).isEmpty();
        // Every link was closed by its test; the kernel frees it with the last descriptor.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(LinkInfo.all()).extracting(LinkInfo::id).doesNotContainAnyElementsOf(linkIds));
    }

    /**
     * XDP on B's veth end sees every frame A sends to B, before B's stack: UDP to 7001 is dropped
     * there, so B's socket on 7001 never gets it, while 7000 in between is delivered.
     */
    @Test
    void xdpDropsUdpToTheBlockedPortAndPassesTheRest() throws Exception {
        int sent = 10;
        try (KernelMap stats = KernelMap.create(xdpStatsSpec());
             KernelProgram guard = KernelProgram.load(xdpUdpGuard("xdp_udp_guard", V1_PASSED), stats);
             DatagramChannel open = udpReceiver(OPEN_UDP_PORT);
             DatagramChannel blocked = udpReceiver(UDP_BLOCKED_PORT);
             DatagramChannel sender = udpSender()) {
            try (KernelLink xdp = attachXdp(guard)) {
                // Interleaved: the verdict is made per packet, not per burst.
                for (int i = 0; i < sent; i++) {
                    send(sender, UDP_BLOCKED_PORT, i);
                    send(sender, OPEN_UDP_PORT, i);
                }

                assertThat(receive(open, sent)).containsExactlyInAnyOrderElementsOf(range(sent));
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(counter(stats, V1_DROPPED)).isEqualTo(sent));
                // All datagrams to 7001 have met XDP and been dropped: none can still be on its way.
                assertNothingArrives(blocked);
                assertThat(counter(stats, V1_PASSED)).as("passed: the delivered datagrams, and nothing else on the quiet link")
                        .isEqualTo(sent);
                System.out.printf("XDP guard: sent %d to %d and %d to %d; received %d on %d, none on %d; counted passed %d, dropped %d%n",
                        sent, OPEN_UDP_PORT, sent, UDP_BLOCKED_PORT, sent, OPEN_UDP_PORT, UDP_BLOCKED_PORT,
                        counter(stats, V1_PASSED), counter(stats, V1_DROPPED));
            }

            // Control: with the link closed, 7001 is reachable, so it was the program that dropped.
            send(sender, UDP_BLOCKED_PORT, 99);
            assertThat(receive(blocked, 1)).containsExactly(99);
            assertThat(counter(stats, V1_DROPPED)).as("no program runs after the link is closed").isEqualTo(sent);
        }
    }

    /**
     * tcx at both ends, each where its meaning is plain: the ingress guard on B's veth end filters
     * what arrives at the server (like a pod's ingress policy), so a SYN to 7002 never reaches B's
     * listening socket; the egress counter on A's veth end counts what the client puts on the
     * wire, before any policy, by IP protocol.
     */
    @Test
    void tcxIngressDropsSynsToTheBlockedPortWhileEgressCountsByProtocol() throws Exception {
        int attempts = 2, datagrams = 5;
        try (KernelMap ingressStats = KernelMap.create(ingressStatsSpec());
             KernelMap egressCounts = KernelMap.create(egressByProtocolSpec());
             KernelProgram synGuard = KernelProgram.load(tcSynGuard(), ingressStats);
             KernelProgram protocolCounter = KernelProgram.load(tcProtocolCounter(), egressCounts);
             ServerSocketChannel openServer = tcpServer(OPEN_TCP_PORT);
             // A listener on 7002 too: without the guard a connection would succeed, not be refused.
             ServerSocketChannel blockedServer = tcpServer(TCP_BLOCKED_PORT);
             DatagramChannel udpIn = udpReceiver(OPEN_UDP_PORT);
             DatagramChannel udpOut = udpSender();
             KernelLink egress = attachTcx(net.a(), protocolCounter, AttachType.TCX_EGRESS)) {
            long dropped;
            try (KernelLink ingress = attachTcx(net.b(), synGuard, AttachType.TCX_INGRESS)) {
                assertThat(ingress.info().attachType()).isEqualTo(AttachType.TCX_INGRESS.number);
                assertThat(egress.info().attachType()).isEqualTo(AttachType.TCX_EGRESS.number);

                try (SocketChannel client = connect(OPEN_TCP_PORT);
                     Socket accepted = accept(openServer)) {
                    assertThat(accepted.getRemoteSocketAddress()).isEqualTo(client.getLocalAddress());
                }
                for (int i = 0; i < attempts; i++) {
                    long started = System.nanoTime();
                    assertThatThrownBy(() -> connect(TCP_BLOCKED_PORT).close())
                            .as("SYN dropped: no answer at all, so a timeout rather than a refusal")
                            .isInstanceOf(SocketTimeoutException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                }
                for (int i = 0; i < datagrams; i++) send(udpOut, OPEN_UDP_PORT, i);
                assertThat(receive(udpIn, datagrams)).containsExactlyInAnyOrderElementsOf(range(datagrams));

                dropped = counter(ingressStats, INGRESS_SYN_DROPPED);
                // One SYN per attempt (the first retransmission would come after 1 s, past the
                // connect timeout), but a slow machine could let one more out: at least.
                assertThat(dropped).as("SYNs to %d dropped at B's ingress", TCP_BLOCKED_PORT).isGreaterThanOrEqualTo(attempts);
                assertThat(counter(ingressStats, INGRESS_PASSED)).as("passed at B's ingress: the 7003 handshake and the datagrams")
                        .isGreaterThanOrEqualTo(2 + datagrams);

                long[] byProtocol = countersByProtocol(egressCounts); // one read: protocols compared in it
                assertThat(byProtocol[IPPROTO_UDP]).as("UDP sent by A").isEqualTo(datagrams);
                assertThat(byProtocol[IPPROTO_TCP]).as("TCP sent by A: every dropped SYN, and the 7003 SYN and ACK at least")
                        .isGreaterThanOrEqualTo(dropped + 2);
                assertThat(sumExcept(byProtocol, IPPROTO_TCP, IPPROTO_UDP)).as("other protocols on the quiet link").isZero();
                System.out.printf("tcx: %d connect(s) to %d timed out, 1 to %d accepted; ingress dropped %d SYN(s), passed %d;"
                                + " egress counted TCP %d, UDP %d (sent %d), other 0%n",
                        attempts, TCP_BLOCKED_PORT, OPEN_TCP_PORT, dropped, counter(ingressStats, INGRESS_PASSED),
                        byProtocol[IPPROTO_TCP], byProtocol[IPPROTO_UDP], datagrams);
            }

            // Control: without the ingress guard the same connection succeeds, and the guard's counters stay still.
            try (SocketChannel client = connect(TCP_BLOCKED_PORT);
                 Socket accepted = accept(blockedServer)) {
                assertThat(accepted.getRemoteSocketAddress()).isEqualTo(client.getLocalAddress());
            }
            assertThat(counter(ingressStats, INGRESS_SYN_DROPPED)).isEqualTo(dropped);
            assertThat(countersByProtocol(egressCounts)[IPPROTO_TCP]).as("egress still counts").isGreaterThanOrEqualTo(dropped + 3);
        }
    }

    /**
     * BPF_LINK_UPDATE with BPF_F_REPLACE while a stream of numbered datagrams flows through the
     * XDP hook: every datagram is delivered, and each was counted by exactly one of the two
     * programs (v1 in slots 0/1, v2 in 2/3 of the same map), so no packet met a gap between them.
     */
    @Test
    void xdpProgramIsReplacedAtomicallyUnderTraffic() throws Exception {
        int total = 20_000;
        // The sender may run this far ahead of the receiver: well under the veth's 256-frame ring
        // and the socket buffer, so the kernel never has to drop for lack of room.
        int window = 128;
        try (KernelMap stats = KernelMap.create(xdpStatsSpec());
             KernelProgram v1 = KernelProgram.load(xdpUdpGuard("xdp_guard_v1", V1_PASSED), stats);
             KernelProgram v2 = KernelProgram.load(xdpUdpGuard("xdp_guard_v2", V2_PASSED), stats);
             DatagramChannel rx = udpReceiver(OPEN_UDP_PORT);
             DatagramChannel tx = udpSender();
             KernelLink xdp = attachXdp(v1)) {
            rx.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            tx.connect(net.b().at(OPEN_UDP_PORT));
            int beforeSwap, afterSwap;
            boolean held;
            long started = System.nanoTime(), swapNanos;
            // The swap starts once a quarter has arrived. Should this thread be scheduled late, the
            // sender waits at three quarters until the swap is done, so it always meets traffic.
            try (NumberedStream stream = NumberedStream.start(tx, rx, total, window, total / 4, total * 3 / 4)) {
                assertThat(stream.awaitMilestone(Duration.ofSeconds(10))).as("a quarter of the stream delivered").isTrue();
                beforeSwap = stream.received();
                long swapStart = System.nanoTime();
                xdp.update(v2, v1);
                swapNanos = System.nanoTime() - swapStart;
                afterSwap = stream.received();
                stream.releaseHold();

                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(stream::finished);
                stream.join();
                stream.rethrow();
                assertThat(stream.missing()).as("sequence numbers never received").isEmpty();
                assertThat(stream.received()).isEqualTo(total);
                held = stream.wasHeld();
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(xdp.info().programId()).as("the link runs the new program").isEqualTo(v2.info().id());
            int ifindex = net.b().ifindex();
            assertThat(net.b().run(() -> Attachments.query(ifindex, AttachType.XDP).programIds())).containsExactly(v2.info().id());
            assertThatThrownBy(() -> xdp.update(v1, v1)).as("v1 is no longer the attached program")
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errnoName()).isEqualTo("EPERM"));

            long v1Passed = counter(stats, V1_PASSED), v2Passed = counter(stats, V2_PASSED);
            System.out.printf("atomic XDP swap under traffic: %d datagrams in %d ms, all received; swap took %d us,"
                            + " between %d and %d received; v1 passed %d, v2 passed %d, dropped %d/%d; sender held: %s%n",
                    total, elapsedMs, TimeUnit.NANOSECONDS.toMicros(swapNanos), beforeSwap, afterSwap, v1Passed, v2Passed,
                    counter(stats, V1_DROPPED), counter(stats, V2_DROPPED), held);
            assertThat(afterSwap).as("the swap completed while the stream was still flowing").isLessThan(total);
            assertThat(v1Passed + v2Passed).as("every datagram met exactly one of the programs").isEqualTo(total);
            assertThat(v1Passed).as("everything received before the swap went through v1")
                    .isGreaterThanOrEqualTo(beforeSwap)
                    // Sent after the swap returned, hence seen by v2: all but the window in flight then.
                    .isLessThanOrEqualTo(afterSwap + window);
            assertThat(v2Passed).isPositive();
            assertThat(counter(stats, V1_DROPPED) + counter(stats, V2_DROPPED)).isZero();
        }
    }

    // Sockets: opened inside a namespace, used from any thread.

    private DatagramChannel udpReceiver(int port) throws Exception {
        return net.b().run(() -> DatagramChannel.open(StandardProtocolFamily.INET).bind(net.b().at(port)));
    }

    private DatagramChannel udpSender() throws Exception {
        return net.a().run(() -> DatagramChannel.open(StandardProtocolFamily.INET).bind(net.a().at(0)));
    }

    private ServerSocketChannel tcpServer(int port) throws Exception {
        return net.b().run(() -> ServerSocketChannel.open(StandardProtocolFamily.INET).bind(net.b().at(port)));
    }

    /** A connection from A to B's port, or the exception of a connect bounded by {@link #CONNECT_TIMEOUT_MS}. */
    private SocketChannel connect(int port) throws Exception {
        SocketChannel channel = net.a().run(() -> SocketChannel.open(StandardProtocolFamily.INET));
        try {
            channel.socket().connect(net.b().at(port), CONNECT_TIMEOUT_MS);
            return channel;
        } catch (Exception | Error e) {
            channel.close();
            throw e;
        }
    }

    private static Socket accept(ServerSocketChannel server) throws Exception {
        server.socket().setSoTimeout(RECEIVE_TIMEOUT_MS);
        return server.socket().accept();
    }

    private void send(DatagramChannel sender, int port, int sequence) throws Exception {
        sender.send(ByteBuffer.allocate(4).putInt(0, sequence), net.b().at(port));
    }

    /** The sequence numbers of the next {@code count} datagrams, each waited for at most {@link #RECEIVE_TIMEOUT_MS}. */
    private static List<Integer> receive(DatagramChannel channel, int count) throws Exception {
        DatagramSocket socket = channel.socket();
        socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
        List<Integer> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DatagramPacket packet = new DatagramPacket(new byte[64], 64);
            socket.receive(packet);
            sequences.add(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).getInt());
        }
        return sequences;
    }

    private static void assertNothingArrives(DatagramChannel channel) throws Exception {
        DatagramSocket socket = channel.socket();
        socket.setSoTimeout(NOTHING_ARRIVES_MS);
        assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[64], 64)))
                .as("a datagram arrived on port %d", socket.getLocalPort())
                .isInstanceOf(SocketTimeoutException.class);
    }

    // Links: attached inside the namespace of the veth end, remembered for the leak check.

    private KernelLink attachXdp(KernelProgram program) throws Exception {
        // Native (driver) XDP: veth runs it in its NAPI receive path, as a CNI would use it.
        return remember(net.b().run(() -> KernelLink.attachXdp(program, Interfaces.ifindex(net.b().ifname()), XdpMode.DRIVER)));
    }

    private KernelLink attachTcx(TwoNamespaces.Side side, KernelProgram program, AttachType direction) throws Exception {
        return remember(side.run(() -> KernelLink.attachTcx(program, Interfaces.ifindex(side.ifname()), direction)));
    }

    private KernelLink remember(KernelLink link) {
        linkIds.add(link.info().id());
        return link;
    }

    private static long[] countersByProtocol(KernelMap counters) {
        long[] values = new long[counters.spec().maxEntries()];
        for (MapEntry entry : counters.lookupBatch()) {
            values[LittleEndian.readU32(entry.key())] = LittleEndian.readU64(entry.value(), 0);
        }
        return values;
    }

    private static List<Integer> range(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    private static long sumExcept(long[] values, int... skipped) {
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            int index = i;
            if (IntStream.of(skipped).noneMatch(s -> s == index)) sum += values[i];
        }
        return sum;
    }

    /**
     * Numbered datagrams from A to B on two threads, flow-controlled by a window: the sender takes
     * a permit per datagram (waiting at most 5 s, then giving up with a failure) and the receiver
     * returns one per datagram it reads. A lost datagram would shrink the window for good, so loss
     * shows as missing numbers, not as a hang. Before sending number {@code holdAt} the sender
     * waits (at most 10 s) for {@link #releaseHold()}.
     */
    private static final class NumberedStream implements AutoCloseable {
        private final DatagramChannel tx, rx;
        private final int total, milestone, holdAt;
        private final Semaphore window;
        private final CountDownLatch milestoneReached = new CountDownLatch(1);
        private final CountDownLatch hold = new CountDownLatch(1);
        private volatile boolean held;
        private final AtomicInteger received = new AtomicInteger();
        private final BitSet seen = new BitSet(); // the receiver's; read after join
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread sender, receiver;

        private NumberedStream(DatagramChannel tx, DatagramChannel rx, int total, int window, int milestone, int holdAt) {
            this.tx = tx;
            this.rx = rx;
            this.total = total;
            this.milestone = milestone;
            this.holdAt = holdAt;
            this.window = new Semaphore(window);
            this.receiver = Thread.ofPlatform().name("udp-receiver").unstarted(this::receive);
            this.sender = Thread.ofPlatform().name("udp-sender").unstarted(this::send);
        }

        static NumberedStream start(DatagramChannel tx, DatagramChannel rx, int total, int window, int milestone, int holdAt) {
            NumberedStream stream = new NumberedStream(tx, rx, total, window, milestone, holdAt);
            stream.receiver.start();
            stream.sender.start();
            return stream;
        }

        private void send() {
            ByteBuffer buffer = ByteBuffer.allocate(4);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try {
                for (int sequence = 0; sequence < total; sequence++) {
                    if (sequence == holdAt && hold.getCount() > 0) {
                        held = true;
                        if (!hold.await(10, TimeUnit.SECONDS)) throw new AssertionError("sender held at " + sequence + " for 10 s");
                    }
                    if (!window.tryAcquire(5, TimeUnit.SECONDS) || System.nanoTime() > deadline) {
                        throw new AssertionError("sender stalled at " + sequence + " with " + received.get() + " received");
                    }
                    tx.write(buffer.clear().putInt(0, sequence));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        private void receive() {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            try {
                while (received.get() < total) {
                    rx.receive(buffer.clear());
                    int sequence = buffer.getInt(0);
                    if (sequence >= 0 && sequence < total && !seen.get(sequence)) {
                        seen.set(sequence);
                        if (received.incrementAndGet() == milestone) milestoneReached.countDown();
                    }
                    window.release();
                }
            } catch (ClosedChannelException e) {
                // closed by close(): the test gave up waiting
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        boolean awaitMilestone(Duration timeout) throws InterruptedException {
            return milestoneReached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void releaseHold() {
            hold.countDown();
        }

        /** Whether the sender had to wait at {@code holdAt} (the swap came late). */
        boolean wasHeld() {
            return held;
        }

        int received() {
            return received.get();
        }

        boolean finished() {
            return received.get() == total || failure.get() != null;
        }

        void join() throws InterruptedException {
            sender.join(Duration.ofSeconds(10));
            receiver.join(Duration.ofSeconds(10));
            assertThat(sender.isAlive() || receiver.isAlive()).as("stream threads still running").isFalse();
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t != null) throw new AssertionError("stream failed after " + received.get() + " of " + total, t);
        }

        /** The first missing sequence numbers (at most 20); only after {@link #join()}. */
        List<Integer> missing() {
            List<Integer> missing = new ArrayList<>();
            for (int s = seen.nextClearBit(0); s < total && missing.size() < 20; s = seen.nextClearBit(s + 1)) missing.add(s);
            return missing;
        }

        /** Stops both threads by closing the channels (idempotent), and waits for them. */
        @Override
        public void close() throws Exception {
            sender.interrupt(); // out of a window wait, if the receiver stopped returning permits
            tx.close();
            rx.close();
            sender.join(Duration.ofSeconds(10));
            receiver.join(Duration.ofSeconds(10));
        }
    }
}
