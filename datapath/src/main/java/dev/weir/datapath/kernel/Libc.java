package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library functions the kernel bridge needs, bound once through FFM. Every call
 * captures errno in the call itself: reading it afterwards is unreliable, because the JVM may run
 * other native code in between.
 */
final class Libc {
    static final long SYS_BPF = 321;
    static final int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int EBADF = 9, EAGAIN = 11, ENODEV = 19;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // long syscall(long number, ...): variadic after the number, every argument passed as a long.
    private static final MethodHandle SYSCALL = bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    // int open(const char *path, int flags, ...): no mode is passed, so no variadic argument.
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle MOUNT = bind("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle SEND = bind("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle RECV = bind("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle IF_NAMETOINDEX = bind("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);

    private Libc() {}

    /** A native call's result: the return value, and errno when that value says it failed. */
    record Result(long value, int errno) {
        boolean failed() {
            return value == -1;
        }
    }

    static Result bpf(int command, MemorySegment attr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long r = (long) SYSCALL.invokeExact(state, SYS_BPF, (long) command, attr.address(), attr.byteSize());
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) CLOSE.invokeExact(state, fd);
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags);
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result setns(int fd, int nsType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) SETNS.invokeExact(state, fd, nsType);
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result mount(String source, String target, String fsType, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) MOUNT.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fsType), flags, arena.allocateFrom(data));
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** if_nametoindex: the index, or 0 with errno set. */
    static Result ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) IF_NAMETOINDEX.invokeExact(state, arena.allocateFrom(name));
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) SOCKET.invokeExact(state, domain, type, protocol);
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result send(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long r = (long) SEND.invokeExact(state, fd, buffer, buffer.byteSize(), 0);
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result sendto(int fd, MemorySegment buffer, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long r = (long) SENDTO.invokeExact(state, fd, buffer, buffer.byteSize(), 0, address, (int) address.byteSize());
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result setsockopt(int fd, int level, int name, MemorySegment value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result recv(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long r = (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), 0);
            return new Result(r, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The one place native code is bound: needs --enable-native-access (set for tests and the CLI). */
    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library function " + name + " not found"));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) return e;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed", t);
    }
}
