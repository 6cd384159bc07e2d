package dev.weir.datapath.vm;

import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.maps.Errno;
import dev.weir.datapath.maps.MapType;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.maps.ProgArrayMap;
import dev.weir.datapath.maps.RingBufferMap;

/**
 * The kernel helpers the interpreter offers, with the kernel's argument checks and return values.
 * Arguments arrive in r1-r5; every pointer argument goes through {@link Memory#resolve}.
 */
final class HelperCalls {
    static final long XDP_ABORTED = 0, XDP_REDIRECT = 4, TC_ACT_SHOT = 2, TC_ACT_REDIRECT = 7;
    private static final int BPF_F_INGRESS = 1;
    private static final int BPF_F_RECOMPUTE_CSUM = 1, BPF_F_INVALIDATE_HASH = 2;
    private static final int BPF_F_HDR_FIELD_MASK = 0xf, BPF_F_PSEUDO_HDR = 0x10, BPF_F_MARK_MANGLED_0 = 0x20,
            BPF_F_MARK_ENFORCE = 0x40, BPF_F_IPV6 = 0x80;
    private static final int ETH_HLEN = 14, XDP_FRAME_SIZE = 40;

    private final Interpreter vm;

    HelperCalls(Interpreter vm) {
        this.vm = vm;
    }

    long call(int id, long[] reg, int pc) {
        Helper helper = Helper.of(id);
        if (helper == null) throw VmFault.at(pc, "call to unknown helper " + id);
        return switch (helper) {
            case MAP_LOOKUP_ELEM -> mapLookup(reg, pc);
            case MAP_UPDATE_ELEM -> mapUpdate(reg, pc);
            case MAP_DELETE_ELEM -> mapDelete(reg, pc);
            case KTIME_GET_NS -> vm.options.clock().getAsLong();
            case GET_PRANDOM_U32 -> vm.options.random().nextInt() & 0xffffffffL;
            case GET_SMP_PROCESSOR_ID -> vm.options.cpu();
            case REDIRECT -> redirect(reg);
            case REDIRECT_PEER -> redirectPeer(reg);
            case CSUM_DIFF -> csumDiff(reg, pc);
            case XDP_ADJUST_HEAD -> xdpAdjustHead(reg);
            case SKB_LOAD_BYTES -> skbLoadBytes(reg, pc);
            case SKB_STORE_BYTES -> skbStoreBytes(reg, pc);
            case L3_CSUM_REPLACE -> csumReplace(reg, pc, false);
            case L4_CSUM_REPLACE -> csumReplace(reg, pc, true);
            case RINGBUF_OUTPUT -> ringbufOutput(reg, pc);
            case RINGBUF_RESERVE -> ringbufReserve(reg, pc);
            case RINGBUF_SUBMIT, RINGBUF_DISCARD -> ringbufCommit(reg, pc, helper == Helper.RINGBUF_SUBMIT);
            case TAIL_CALL -> throw VmFault.at(pc, "tail calls are handled by the dispatch loop");
        };
    }

    // ---- maps

    private MemoryMap dataMap(long handle, int pc) {
        MemoryMap m = vm.mapAt(handle, pc);
        MapType t = m.spec().type();
        if (t == MapType.PROG_ARRAY || t == MapType.RINGBUF) {
            throw VmFault.at(pc, "map '" + m.spec().name() + "' (" + t + ") does not support element helpers");
        }
        return m;
    }

    private long mapLookup(long[] reg, int pc) {
        MemoryMap m = dataMap(reg[1], pc);
        Region key = vm.memory.resolve(reg[2], m.spec().keySize(), pc, false);
        int at = m.lookupFrom(key.data, (int) reg[2], vm.options.cpu());
        return at < 0 ? 0 : Memory.pointer((int) (reg[1] >>> 32) - 1, at); // the value region precedes the handle
    }

    private long mapUpdate(long[] reg, int pc) {
        MemoryMap m = dataMap(reg[1], pc);
        Region key = vm.memory.resolve(reg[2], m.spec().keySize(), pc, false);
        Region value = vm.memory.resolve(reg[3], m.spec().valueSize(), pc, false);
        return m.updateFrom(key.data, (int) reg[2], value.data, (int) reg[3], reg[4], vm.options.cpu());
    }

    private long mapDelete(long[] reg, int pc) {
        MemoryMap m = dataMap(reg[1], pc);
        Region key = vm.memory.resolve(reg[2], m.spec().keySize(), pc, false);
        return m.deleteFrom(key.data, (int) reg[2]);
    }

    /** The program a tail call continues with, or null when the call falls through (as in the kernel). */
    VmProgram tailCallTarget(long[] reg, VmProgram current, int tailCalls, int pc) {
        MemoryMap m = vm.mapAt(reg[2], pc);
        if (!(m instanceof ProgArrayMap array)) throw VmFault.at(pc, "tail call through a map that is not a program array");
        long index = reg[3] & 0xffffffffL;
        if (index >= m.spec().maxEntries() || tailCalls >= Interpreter.MAX_TAIL_CALLS) return null;
        Object target = array.program((int) index);
        if (target == null) return null;
        if (!(target instanceof VmProgram next) || next.type() != current.type()) {
            throw VmFault.at(pc, "program array slot " + index + " holds no " + current.type() + " program");
        }
        return next;
    }

    // ---- packet

    private long redirect(long[] reg) {
        boolean xdp = vm.runningType == ProgramType.XDP;
        long flags = reg[2];
        if (xdp ? flags != 0 : (flags & ~BPF_F_INGRESS) != 0) return xdp ? XDP_ABORTED : TC_ACT_SHOT;
        vm.redirect = (int) reg[1];
        return xdp ? XDP_REDIRECT : TC_ACT_REDIRECT;
    }

    /**
     * bpf_redirect_peer: to the peer of a veth (or netkit) device, into its namespace's ingress. The
     * interpreter records the target as for bpf_redirect; flags must be 0.
     */
    private long redirectPeer(long[] reg) {
        if (reg[2] != 0) return TC_ACT_SHOT;
        vm.redirect = (int) reg[1];
        return TC_ACT_REDIRECT;
    }

    private long xdpAdjustHead(long[] reg) {
        Region p = vm.packet;
        int data = p.lo + (int) reg[2];
        if (data < XDP_FRAME_SIZE || data > p.hi - ETH_HLEN) return Errno.EINVAL.negative();
        p.lo = data;
        return 0;
    }

    private int packetLength() {
        return vm.packet.hi - vm.packet.lo;
    }

    /** A helper's u32 size argument; sizes that do not fit an int fault (the verifier bounds them). */
    private static int size(long value, int pc) {
        long u32 = value & 0xffffffffL;
        if (u32 > Integer.MAX_VALUE) throw VmFault.at(pc, "helper size argument " + u32 + " is too large");
        return (int) u32;
    }

    private long skbLoadBytes(long[] reg, int pc) {
        long offset = reg[2] & 0xffffffffL;
        int len = size(reg[4], pc);
        Region to = vm.memory.resolve(reg[3], len, pc, true);
        if (offset > Integer.MAX_VALUE || offset + len > packetLength()) {
            java.util.Arrays.fill(to.data, (int) reg[3], (int) reg[3] + len, (byte) 0);
            return Errno.EFAULT.negative();
        }
        System.arraycopy(vm.packet.data, vm.packet.lo + (int) offset, to.data, (int) reg[3], len);
        return 0;
    }

    private long skbStoreBytes(long[] reg, int pc) {
        long offset = reg[2] & 0xffffffffL;
        int len = size(reg[4], pc);
        long flags = reg[5];
        Region from = vm.memory.resolve(reg[3], len, pc, false);
        if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0) return Errno.EINVAL.negative();
        if (offset > Integer.MAX_VALUE || offset + len > packetLength()) return Errno.EFAULT.negative();
        System.arraycopy(from.data, (int) reg[3], vm.packet.data, vm.packet.lo + (int) offset, len);
        return 0;
    }

    /** bpf_l3_csum_replace / bpf_l4_csum_replace, with the kernel's argument rules in its order. */
    private long csumReplace(long[] reg, int pc, boolean l4) {
        long offset = reg[2] & 0xffffffffL;
        long flags = reg[5];
        int allowed = BPF_F_HDR_FIELD_MASK
                | (l4 ? BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_IPV6 : 0);
        if ((flags & ~allowed) != 0) return Errno.EINVAL.negative();
        if (offset > 0xffff || (offset & 1) != 0 || offset + 2 > packetLength()) return Errno.EFAULT.negative();
        byte[] d = vm.packet.data;
        int at = vm.packet.lo + (int) offset;
        int stored = (d[at] & 0xff) | (d[at + 1] & 0xff) << 8;
        boolean mangledZero = l4 && (flags & BPF_F_MARK_MANGLED_0) != 0;
        boolean enforce = l4 && (flags & BPF_F_MARK_ENFORCE) != 0;
        if (mangledZero && !enforce && stored == 0) return 0; // UDP without checksum stays without
        int from = (int) reg[3], to = (int) reg[4];
        int sum;
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (reg[3] != 0) return Errno.EINVAL.negative(); // by-diff mode takes no "from"
                sum = Checksums.replaceByDiff(stored, to);
            }
            case 2 -> sum = l4 ? Checksums.replace4(stored, from & 0xffff, to & 0xffff) : Checksums.replace2(stored, from, to);
            case 4 -> sum = Checksums.replace4(stored, from, to);
            default -> {
                return Errno.EINVAL.negative();
            }
        }
        if (mangledZero && sum == 0) sum = 0xffff; // CSUM_MANGLED_0
        d[at] = (byte) sum;
        d[at + 1] = (byte) (sum >>> 8);
        return 0;
    }

    /**
     * bpf_csum_diff as Linux 6.13+ computes it on every architecture: separate sums of the "to" and
     * "from" words with the seed, folded to 16 bits (csum_from32to16); with neither, the folded seed.
     */
    private long csumDiff(long[] reg, int pc) {
        int fromSize = (int) reg[2], toSize = (int) reg[4], seed = (int) reg[5];
        if (fromSize < 0 || toSize < 0) return Errno.EINVAL.negative();
        byte[] fromData = fromSize > 0 ? vm.memory.resolve(reg[1], fromSize, pc, false).data : null;
        byte[] toData = toSize > 0 ? vm.memory.resolve(reg[3], toSize, pc, false).data : null;
        int fromOff = (int) reg[1], toOff = (int) reg[3];
        if (fromSize > 0 && toSize > 0) {
            int sum = Checksums.sub(Checksums.partial(toData, toOff, toSize, seed), Checksums.partial(fromData, fromOff, fromSize, 0));
            return Checksums.from32to16(sum);
        }
        if (toSize > 0) return Checksums.from32to16(Checksums.partial(toData, toOff, toSize, seed));
        if (fromSize > 0) return Checksums.from32to16(~Checksums.partial(fromData, fromOff, fromSize, ~seed));
        return Checksums.from32to16(seed);
    }

    /** SKF_NET_OFF and SKF_LL_OFF: negative legacy-load offsets relative to the network and MAC headers. */
    private static final int SKF_NET_OFF = -0x100000, SKF_LL_OFF = -0x200000;

    /**
     * LD_ABS / LD_IND: a big-endian load at a 32-bit offset (index + imm, added in 32 bits as the
     * kernel does) from the packet start, or from the network (SKF_NET_OFF + n) or MAC
     * (SKF_LL_OFF + n) header; -1 when out of bounds, which ends the program with 0.
     */
    long legacyPacketLoad(int opcode, int src, int imm, long[] reg, int pc) {
        int k = (opcode & 0xe0) == 0x40 ? (int) reg[src] + imm : imm;
        long offset;
        if (k >= 0) offset = k;
        else if (k >= SKF_NET_OFF) offset = ETH_HLEN + (long) (k - SKF_NET_OFF); // tc: the network header follows Ethernet
        else if (k >= SKF_LL_OFF) offset = k - SKF_LL_OFF;
        else return -1;
        int size = switch (opcode & 0x18) {
            case 0x00 -> 4;
            case 0x08 -> 2;
            default -> 1;
        };
        if (offset + size > packetLength()) return -1;
        byte[] d = vm.packet.data;
        int at = vm.packet.lo + (int) offset;
        long v = 0;
        for (int i = 0; i < size; i++) v = (v << 8) | (d[at + i] & 0xff);
        return v;
    }

    // ---- ring buffer

    private RingBufferMap ringbuf(long handle, int pc) {
        if (vm.mapAt(handle, pc) instanceof RingBufferMap rb) return rb;
        throw VmFault.at(pc, "argument is not a ring buffer map");
    }

    private long ringbufOutput(long[] reg, int pc) {
        RingBufferMap rb = ringbuf(reg[1], pc);
        int size = size(reg[3], pc);
        Region data = vm.memory.resolve(reg[2], size, pc, false);
        if ((reg[4] & ~3L) != 0) return Errno.EINVAL.negative();
        return rb.output(data.data, (int) reg[2], size);
    }

    private long ringbufReserve(long[] reg, int pc) {
        RingBufferMap rb = ringbuf(reg[1], pc);
        if (reg[3] != 0 || reg[2] <= 0 || reg[2] > Integer.MAX_VALUE) return 0;
        int size = (int) reg[2];
        int at = rb.reserve(size);
        if (at < 0) return 0;
        Region record = new Region(Region.Kind.RINGBUF_RECORD, "ring buffer record").bytes(rb.valueStore(), at, at + size, true);
        record.mapIndex = vm.regionOf(rb);
        int index = vm.memory.addTransient(record);
        if (index < 0) {
            rb.discard(at);
            throw VmFault.at(pc, "more than " + Memory.MAX_TRANSIENTS + " ring buffer reservations in one run");
        }
        return Memory.pointer(index, at);
    }

    private long ringbufCommit(long[] reg, int pc, boolean submit) {
        Region r = vm.memory.regionOf(reg[1]);
        if (r == null || r.kind != Region.Kind.RINGBUF_RECORD || !r.live || (int) reg[1] != r.lo) {
            throw new VmFault(pc, reg[1], 0, r == null ? null : r.name, "argument is not a reserved ring buffer record");
        }
        RingBufferMap rb = (RingBufferMap) vm.mapAt(Memory.pointer(r.mapIndex + 1, 0), pc);
        if (submit) rb.submit(r.lo);
        else rb.discard(r.lo);
        r.live = false;
        return 0;
    }
}
