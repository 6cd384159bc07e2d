package dev.weir.datapath.maps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * BPF_MAP_TYPE_RINGBUF: a multi-record queue from programs to user space, max_entries bytes of
 * data. Records are laid out as in the kernel: an 8-byte header (u32 length with a BUSY bit while
 * reserved and a DISCARD bit once discarded, then a u32 the kernel uses to find its map and which
 * is 0 here) followed by the data, the whole rounded up to 8 bytes. Producer and consumer positions
 * only grow; a record's offset in {@link #valueStore()} is its position modulo the capacity.
 *
 * <p>The kernel maps the data pages twice so that a record may run past the end and continue at
 * the start. This buffer keeps every record contiguous instead: when one does not fit before the
 * end, the space up to the end becomes a discarded padding record and the record starts at offset 0
 * (when the buffer is empty, both positions just skip to the next lap). Padding counts as used
 * space until consumed, so a buffer near its wrap point may refuse a record the kernel would take;
 * otherwise space rules are the kernel's: at most capacity - 1 bytes in use, so the largest record
 * has capacity - 16 data bytes.
 *
 * <p>Space is freed only by {@link #poll}, in order: a record still reserved holds back every
 * record after it, submitted or not. The element operations are refused (ENOTSUPP in the kernel,
 * whose verifier also keeps programs from calling the element helpers on a ring buffer).
 */
public final class RingBufferMap extends OpaqueMap {
    static final int HEADER_SIZE = 8;
    static final int BUSY_BIT = 1 << 31, DISCARD_BIT = 1 << 30;

    private final byte[] data;
    private final int capacity, mask;
    private long producerPos, consumerPos;

    RingBufferMap(MapSpec spec) {
        super(spec);
        this.capacity = spec.maxEntries();
        this.mask = capacity - 1;
        this.data = new byte[capacity];
    }

    /**
     * Reserves a record of {@code size} data bytes (bpf_ringbuf_reserve). Returns the offset of its
     * data in {@link #valueStore()}, or -1 when it does not fit; the caller must then
     * {@link #submit} or {@link #discard} that offset.
     */
    public int reserve(int size) {
        if (size < 0 || size > capacity - HEADER_SIZE) return -1;
        int recordLen = Bytes.align8(size + HEADER_SIZE);
        int at = (int) (producerPos & mask);
        int padding = 0;
        if (at + recordLen > capacity) {
            if (producerPos == consumerPos) {
                producerPos = consumerPos = producerPos + (capacity - at); // nothing to pad around
                at = 0;
            } else {
                padding = capacity - at;
            }
        }
        if (producerPos + padding + recordLen - consumerPos > mask) return -1;
        if (padding > 0) {
            writeHeader(at, (padding - HEADER_SIZE) | DISCARD_BIT);
            producerPos += padding;
            at = 0;
        }
        writeHeader(at, size | BUSY_BIT);
        producerPos += recordLen;
        return at + HEADER_SIZE;
    }

    /** Makes a reserved record visible to {@link #poll} (bpf_ringbuf_submit). */
    public void submit(int dataOffset) {
        commit(dataOffset, 0);
    }

    /** Drops a reserved record: {@link #poll} skips it (bpf_ringbuf_discard). */
    public void discard(int dataOffset) {
        commit(dataOffset, DISCARD_BIT);
    }

    /**
     * Copies a record in and submits it (bpf_ringbuf_output): 0, or -EAGAIN when it does not fit.
     * The helper's flags (wake-up hints) are the caller's to check.
     */
    public int output(byte[] src, int offset, int length) {
        int at = reserve(length);
        if (at < 0) return (int) Errno.EAGAIN.negative();
        System.arraycopy(src, offset, data, at, length);
        submit(at);
        return 0;
    }

    /**
     * Consumes the submitted records in order and frees their space, as a user-space reader does.
     * Stops at the first record still reserved; discarded records are skipped.
     */
    public List<byte[]> poll() {
        List<byte[]> records = new ArrayList<>();
        while (consumerPos < producerPos) {
            int at = (int) (consumerPos & mask);
            int header = Bytes.u32(data, at);
            if ((header & BUSY_BIT) != 0) break;
            int length = header & ~DISCARD_BIT;
            if ((header & DISCARD_BIT) == 0) records.add(Arrays.copyOfRange(data, at + HEADER_SIZE, at + HEADER_SIZE + length));
            consumerPos += Bytes.align8(length + HEADER_SIZE);
        }
        return records;
    }

    /** Bytes reserved and not yet consumed, headers and padding included (BPF_RB_AVAIL_DATA). */
    public long availableData() {
        return producerPos - consumerPos;
    }

    /** The data area; a reserved record's data is the {@code size} bytes at the offset {@link #reserve} returned. */
    @Override
    public byte[] valueStore() {
        return data;
    }





    @Override
    public Optional<byte[]> lookup(byte[] key) {
        throw refusal(Errno.ENOTSUPP, "lookup");
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw refusal(Errno.ENOTSUPP, "update");
    }

    @Override
    public void delete(byte[] key) {
        throw refusal(Errno.ENOTSUPP, "delete");
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        throw refusal(Errno.ENOTSUPP, "get next key");
    }

    private void commit(int dataOffset, int discardBit) {
        int at = dataOffset - HEADER_SIZE;
        if (at < 0 || at > capacity - HEADER_SIZE || (at & 7) != 0 || (Bytes.u32(data, at) & BUSY_BIT) == 0) {
            throw new IllegalArgumentException("map '" + spec.name() + "': no reserved record at offset " + dataOffset);
        }
        Bytes.putU32(data, at, (Bytes.u32(data, at) & ~BUSY_BIT) | discardBit);
    }

    private void writeHeader(int at, int lengthAndFlags) {
        Bytes.putU32(data, at, lengthAndFlags);
        Bytes.putU32(data, at + 4, 0);
    }
}
