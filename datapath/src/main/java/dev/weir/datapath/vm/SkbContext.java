package dev.weir.datapath.vm;

/**
 * The tc-visible fields of struct __sk_buff. Pointer fields (data, data_end, data_meta) must be
 * read as whole u32s and yield 64-bit packet pointers; other u32 fields allow aligned narrow
 * reads; only the fields tc programs may write are writable (tc_cls_act_is_valid_access).
 */
final class SkbContext implements Context {
    static final int LEN = 0, PKT_TYPE = 4, MARK = 8, QUEUE_MAPPING = 12, PROTOCOL = 16, VLAN_PRESENT = 20,
            VLAN_TCI = 24, VLAN_PROTO = 28, PRIORITY = 32, INGRESS_IFINDEX = 36, IFINDEX = 40, TC_INDEX = 44,
            CB = 48, HASH = 68, TC_CLASSID = 72, DATA = 76, DATA_END = 80, NAPI_ID = 84, FAMILY = 88,
            DATA_META = 140, FLOW_KEYS = 144, TSTAMP = 152, WIRE_LEN = 160, GSO_SEGS = 164, SK = 168,
            GSO_SIZE = 176, HWTSTAMP = 184, SIZE = 192;

    private final Region packet;
    private final int packetRegion;
    /** Field values by offset (u32 fields in [offset/4], u64 fields across two). */
    private final int[] fields = new int[SIZE / 4];

    SkbContext(Region packet, int packetRegion) {
        this.packet = packet;
        this.packetRegion = packetRegion;
    }

    void reset(SkbMetadata m) {
        java.util.Arrays.fill(fields, 0);
        fields[MARK / 4] = m.mark();
        fields[PRIORITY / 4] = m.priority();
        fields[INGRESS_IFINDEX / 4] = m.ingressIfindex();
        fields[IFINDEX / 4] = m.ifindex();
        fields[PROTOCOL / 4] = m.protocol();
        fields[PKT_TYPE / 4] = m.pktType();
        fields[TC_INDEX / 4] = m.tcIndex();
        fields[TC_CLASSID / 4] = m.tcClassid();
        int[] cb = m.cb();
        System.arraycopy(cb, 0, fields, CB / 4, 5);
        fields[TSTAMP / 4] = (int) m.tstamp();
        fields[TSTAMP / 4 + 1] = (int) (m.tstamp() >>> 32);
    }

    int mark() {
        return fields[MARK / 4];
    }

    int priority() {
        return fields[PRIORITY / 4];
    }

    int[] cb() {
        return java.util.Arrays.copyOfRange(fields, CB / 4, CB / 4 + 5);
    }

    int tcClassid() {
        return fields[TC_CLASSID / 4];
    }

    /** cb[] is scratch space the kernel lets programs use at any width, aligned and inside it. */
    private static boolean inCb(int offset, int size) {
        return offset >= CB && offset + size <= CB + 20 && offset % size == 0;
    }

    @Override
    public long load(int pc, int offset, int size, long address) {
        if (offset < 0 || offset + size > SIZE || offset % size != 0) throw invalid(pc, offset, size, address, "read");
        if (inCb(offset, size)) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | ((fields[(offset + i) / 4] >>> (8 * ((offset + i) % 4))) & 0xff);
            return v;
        }
        switch (offset) {
            case DATA, DATA_END, DATA_META -> {
                if (size != 4) throw invalid(pc, offset, size, address, "read");
                return Memory.pointer(packetRegion, offset == DATA_END ? packet.hi : packet.lo);
            }
            case FLOW_KEYS, SK -> throw invalid(pc, offset, size, address, "read");
            case TSTAMP, HWTSTAMP -> {
                if (size != 8) throw invalid(pc, offset, size, address, "read");
                return (fields[offset / 4] & 0xffffffffL) | ((long) fields[offset / 4 + 1] << 32);
            }
            default -> {
                if (size == 8 || (offset >= FAMILY && offset < DATA_META)) {
                    // family and the socket address fields (remote_ip4 ...) are not for tc programs
                    throw invalid(pc, offset, size, address, "read");
                }
                long word = offset / 4 * 4 == LEN ? packet.hi - packet.lo : fields[offset / 4] & 0xffffffffL;
                if (offset / 4 * 4 == WIRE_LEN) word = packet.hi - packet.lo;
                int shift = (offset % 4) * 8;
                long mask = size == 4 ? 0xffffffffL : (1L << (size * 8)) - 1;
                return (word >>> shift) & mask;
            }
        }
    }

    @Override
    public void store(int pc, int offset, int size, long value, long address) {
        boolean writable = switch (offset) {
            case MARK, PRIORITY, TC_INDEX, TC_CLASSID, QUEUE_MAPPING -> size == 4;
            case TSTAMP -> size == 8;
            default -> inCb(offset, size);
        };
        if (!writable) throw invalid(pc, offset, size, address, "write");
        if (inCb(offset, size)) {
            for (int i = 0; i < size; i++) {
                int word = (offset + i) / 4, shift = 8 * ((offset + i) % 4);
                fields[word] = (fields[word] & ~(0xff << shift)) | (int) ((value >>> (8 * i)) & 0xff) << shift;
            }
            return;
        }
        switch (offset) {
            // sk_buff keeps these in 16 bits; queue_mapping ignores values from NO_QUEUE_MAPPING (0xffff) up
            case TC_INDEX, TC_CLASSID -> value &= 0xffff;
            case QUEUE_MAPPING -> {
                if ((value & 0xffffffffL) >= 0xffff) return;
                value &= 0xffff;
            }
            default -> {}
        }
        fields[offset / 4] = (int) value;
        if (size == 8) fields[offset / 4 + 1] = (int) (value >>> 32);
    }

    private VmFault invalid(int pc, int offset, int size, long address, String what) {
        return new VmFault(pc, address, size, name(), "invalid __sk_buff " + what + " at offset " + offset);
    }

    @Override
    public String name() {
        return "context (__sk_buff)";
    }
}
