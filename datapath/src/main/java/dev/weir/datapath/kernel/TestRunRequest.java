package dev.weir.datapath.kernel;

import java.util.Objects;

/**
 * Input of BPF_PROG_TEST_RUN. The kernel wants at least an Ethernet header (14 bytes) of data.
 * A context is optional: for tc an __sk_buff ({@link RunContexts#skBuff}), of which only mark,
 * priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso fields and hwtstamp may be set; for
 * XDP an xdp_md ({@link RunContexts#xdpMd}) whose data_end is the data length and data_meta 0.
 *
 * @param data           the packet
 * @param context        ctx_in, or null for the kernel's default context
 * @param contextOutSize bytes of ctx_out to read back (0 for none)
 * @param dataOutSize    room for the packet after the run (an XDP program may grow it)
 * @param repeat         runs, for timing (0 and 1 both mean one run)
 * @param flags          BPF_F_TEST_* flags
 * @param cpu            the CPU to run on, with BPF_F_TEST_RUN_ON_CPU
 */
public record TestRunRequest(byte[] data, byte[] context, int contextOutSize, int dataOutSize, int repeat, int flags,
                             int cpu) {
    public static final int MIN_DATA = 14;
    /** Room beyond the input for programs that grow the packet (XDP headroom is 256 bytes). */
    private static final int GROWTH = 4096;

    public TestRunRequest {
        Objects.requireNonNull(data, "data");
        if (data.length < MIN_DATA) {
            throw new IllegalArgumentException("test-run data must have at least " + MIN_DATA + " bytes (the kernel says EINVAL), got " + data.length);
        }
        data = data.clone();
        context = context == null ? null : context.clone();
        if (contextOutSize < 0 || dataOutSize < 0 || repeat < 0) throw new IllegalArgumentException("sizes and repeat must not be negative");
    }

    public static TestRunRequest of(byte[] data) {
        return new TestRunRequest(data, null, 0, data.length + GROWTH, 1, 0, 0);
    }

    /** Passes ctx_in and reads the same number of bytes back as ctx_out. */
    public TestRunRequest withContext(byte[] ctx) {
        return new TestRunRequest(data, ctx, ctx.length, dataOutSize, repeat, flags, cpu);
    }

    public TestRunRequest withContextOut(int size) {
        return new TestRunRequest(data, context, size, dataOutSize, repeat, flags, cpu);
    }

    public TestRunRequest withRepeat(int times) {
        return new TestRunRequest(data, context, contextOutSize, dataOutSize, times, flags, cpu);
    }

    public TestRunRequest withFlags(int testFlags, int onCpu) {
        return new TestRunRequest(data, context, contextOutSize, dataOutSize, repeat, testFlags, onCpu);
    }

    public TestRunRequest withDataOutSize(int size) {
        return new TestRunRequest(data, context, contextOutSize, size, repeat, flags, cpu);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] context() {
        return context == null ? null : context.clone();
    }
}
