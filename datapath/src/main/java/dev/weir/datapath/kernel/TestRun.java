package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * What BPF_PROG_TEST_RUN reported.
 *
 * @param retval     the program's return value as the kernel keeps it: an unsigned 32-bit number
 * @param dataOut    the packet after the run, at its output size
 * @param contextOut ctx_out as the kernel wrote it (empty when none was asked for)
 * @param durationNs mean nanoseconds per repetition, as the kernel measured it
 */
public record TestRun(long retval, byte[] dataOut, byte[] contextOut, long durationNs) {
    private static final int PROG_FD = 0, RETVAL = 4, DATA_SIZE_IN = 8, DATA_SIZE_OUT = 12, DATA_IN = 16, DATA_OUT = 24,
            REPEAT = 32, DURATION = 36, CTX_SIZE_IN = 40, CTX_SIZE_OUT = 44, CTX_IN = 48, CTX_OUT = 56, FLAGS = 64,
            CPU = 68;

    public TestRun {
        dataOut = dataOut.clone();
        contextOut = contextOut.clone();
    }

    @Override
    public byte[] dataOut() {
        return dataOut.clone();
    }

    @Override
    public byte[] contextOut() {
        return contextOut.clone();
    }

    static TestRun run(KernelProgram program, TestRunRequest request) {
        try (BpfAttr attr = Bpf.prepare(BpfCommand.PROG_TEST_RUN, "program '" + program.name() + "'")) {
            byte[] data = request.data();
            MemorySegment dataOut = attr.buffer(request.dataOutSize());
            MemorySegment ctxOut = attr.buffer(request.contextOutSize());
            attr.u32(PROG_FD, program.fd())
                    .u32(DATA_SIZE_IN, data.length)
                    .pointer(DATA_IN, attr.copyOf(data))
                    .u32(DATA_SIZE_OUT, request.dataOutSize())
                    .pointer(DATA_OUT, request.dataOutSize() == 0 ? MemorySegment.NULL : dataOut)
                    .u32(REPEAT, request.repeat())
                    .u32(FLAGS, request.flags())
                    .u32(CPU, request.cpu());
            byte[] ctx = request.context();
            if (ctx != null) attr.u32(CTX_SIZE_IN, ctx.length).pointer(CTX_IN, attr.copyOf(ctx));
            if (request.contextOutSize() > 0) attr.u32(CTX_SIZE_OUT, request.contextOutSize()).pointer(CTX_OUT, ctxOut);
            attr.invoke();
            int dataOutSize = Math.min(attr.u32(DATA_SIZE_OUT), request.dataOutSize());
            int ctxOutSize = request.contextOutSize() == 0 ? 0 : Math.min(attr.u32(CTX_SIZE_OUT), request.contextOutSize());
            return new TestRun(Integer.toUnsignedLong(attr.u32(RETVAL)),
                    dataOut.asSlice(0, dataOutSize).toArray(JAVA_BYTE),
                    ctxOut.asSlice(0, ctxOutSize).toArray(JAVA_BYTE),
                    Integer.toUnsignedLong(attr.u32(DURATION)));
        }
    }
}
