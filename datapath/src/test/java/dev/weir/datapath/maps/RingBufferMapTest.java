package dev.weir.datapath.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingBufferMapTest {
    private static final int CAPACITY = 4096;

    private final RingBufferMap ring = (RingBufferMap) MemoryMap.create(new MapSpec("events", MapType.RINGBUF, 0, 0, CAPACITY, 0), 1);

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> strings(List<byte[]> records) {
        return records.stream().map(r -> new String(r, StandardCharsets.US_ASCII)).toList();
    }

    /** Reserves a record and writes the text into it, as a program would, without submitting. */
    private int reserveWith(String s) {
        int at = ring.reserve(s.length());
        assertThat(at).as("reserve %s", s).isNotNegative();
        System.arraycopy(text(s), 0, ring.valueStore(), at, s.length());
        return at;
    }

    @Test
    void recordsComeOutInOrderAndOnlyOnce() {
        assertThat(ring.output(text("one"), 0, 3)).isZero();
        ring.submit(reserveWith("two"));
        assertThat(ring.output(text("xthreex"), 1, 5)).isZero();
        assertThat(strings(ring.poll())).containsExactly("one", "two", "three");
        assertThat(ring.poll()).isEmpty();
        assertThat(ring.availableData()).isZero();
    }

    @Test
    void recordsTakeAnEightByteHeaderAndRoundUpToEight() {
        int first = ring.reserve(1);
        int second = ring.reserve(8);
        int third = ring.reserve(9);
        assertThat(first).isEqualTo(8);
        assertThat(second - first).isEqualTo(16);
        assertThat(third - second).isEqualTo(16);
        assertThat(ring.availableData()).isEqualTo(16 + 16 + 24);
        assertThat(Bytes.u32(ring.valueStore(), first - 8)).as("length with the BUSY bit").isEqualTo(1 | RingBufferMap.BUSY_BIT);
    }

    @Test
    void discardedRecordsAreSkipped() {
        ring.submit(reserveWith("kept"));
        ring.discard(reserveWith("dropped"));
        ring.submit(reserveWith("also kept"));
        assertThat(strings(ring.poll())).containsExactly("kept", "also kept");
        assertThat(ring.availableData()).isZero();
    }

    @Test
    void aRecordNotYetSubmittedHoldsBackTheOnesAfterIt() {
        ring.submit(reserveWith("a"));
        int pending = reserveWith("b");
        ring.submit(reserveWith("c"));
        assertThat(strings(ring.poll())).containsExactly("a");
        assertThat(ring.poll()).isEmpty();
        ring.submit(pending);
        assertThat(strings(ring.poll())).containsExactly("b", "c");
    }

    @Test
    void aFullBufferRefusesUntilConsumed() {
        // Seven records of 8 + 576 bytes fill 4088 of 4096 bytes; at most capacity - 1 may be in use.
        for (int i = 0; i < 7; i++) assertThat(ring.output(new byte[576], 0, 576)).isZero();
        assertThat(ring.reserve(0)).isEqualTo(-1);
        assertThat(ring.output(new byte[1], 0, 1)).isEqualTo(-Errno.EAGAIN.code);
        assertThat(ring.poll()).hasSize(7);
        assertThat(ring.output(new byte[1], 0, 1)).isZero();
    }

    @Test
    void reservedButUnconsumedSpaceStaysUsed() {
        int held = ring.reserve(CAPACITY - 1024);
        assertThat(ring.reserve(1024)).isEqualTo(-1);
        ring.discard(held);
        assertThat(ring.reserve(1024)).as("discarded is not consumed yet").isEqualTo(-1);
        assertThat(ring.poll()).isEmpty();
        assertThat(ring.reserve(1024)).isNotNegative();
    }

    @Test
    void theLargestRecordIsCapacityMinusSixteenDataBytes() {
        assertThat(ring.reserve(CAPACITY)).isEqualTo(-1);
        assertThat(ring.reserve(CAPACITY - 8)).isEqualTo(-1);
        assertThat(ring.reserve(CAPACITY - 15)).isEqualTo(-1);
        assertThat(ring.reserve(-1)).isEqualTo(-1);
        int at = ring.reserve(CAPACITY - 16);
        assertThat(at).isEqualTo(8);
        ring.submit(at);
        assertThat(ring.poll()).singleElement().satisfies(r -> assertThat(r).hasSize(CAPACITY - 16));
    }

    @Test
    void anEmptyBufferTakesTheLargestRecordWhereverItsPositionsStand() {
        ring.submit(reserveWith("x".repeat(1000)));
        assertThat(ring.poll()).hasSize(1); // empty, positions at 1008: padding to the end would not leave room
        int at = ring.reserve(CAPACITY - 16);
        assertThat(at).isEqualTo(8);
        ring.submit(at);
        assertThat(ring.poll()).singleElement().satisfies(r -> assertThat(r).hasSize(CAPACITY - 16));
    }

    @Test
    void aRecordThatWouldRunPastTheEndStartsAtOffsetZeroAfterPadding() {
        ring.submit(reserveWith("x".repeat(3000)));
        ring.submit(reserveWith("y".repeat(500)));
        assertThat(ring.poll()).hasSize(2); // consumed up to 3008 + 512 = 3520
        ring.submit(reserveWith("z".repeat(100)));
        int wrapped = reserveWith("w".repeat(600)); // 3520 + 112 = 3632: 608 more would pass 4096
        assertThat(wrapped).as("data never wraps: the record restarts at the beginning").isEqualTo(8);
        ring.submit(wrapped);
        assertThat(ring.availableData()).isEqualTo(112 + (4096 - 3632) + 608);
        assertThat(strings(ring.poll())).containsExactly("z".repeat(100), "w".repeat(600));
        assertThat(ring.availableData()).isZero();
    }

    @Test
    void paddingCountsAsUsedSpace() {
        ring.submit(reserveWith("x".repeat(3000)));
        assertThat(ring.poll()).hasSize(1); // consumer at 3008
        int tail = reserveWith("y".repeat(1000)); // 3008 + 1008 = 4016
        assertThat(ring.reserve(3000)).as("80 bytes of padding + 3008 + the 1008 held > 4095").isEqualTo(-1);
        ring.submit(tail);
        assertThat(ring.poll()).hasSize(1);
        assertThat(ring.reserve(3000)).as("an empty buffer just starts the record at 0").isEqualTo(8);
    }

    @Test
    void manyLapsKeepOrder() {
        int next = 0, expected = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 5; i++) {
                String s = "record-" + next + "-" + "p".repeat(next % 300);
                if (ring.output(text(s), 0, s.length()) == 0) next++;
            }
            for (byte[] r : ring.poll()) assertThat(new String(r, StandardCharsets.US_ASCII)).startsWith("record-" + expected++ + "-");
        }
        assertThat(expected).isEqualTo(next).isGreaterThan(500);
    }

    @Test
    void committingSomethingThatIsNotAReservedRecordIsAnError() {
        int at = reserveWith("a");
        ring.submit(at);
        assertThatThrownBy(() -> ring.submit(at)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.discard(at + 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.submit(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void elementOperationsAreRefused() {
        assertThatThrownBy(() -> ring.lookup(new byte[0])).isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUPP));
        assertThatThrownBy(() -> ring.update(new byte[0], new byte[0], 0)).isInstanceOf(MapException.class);
        assertThatThrownBy(() -> ring.delete(new byte[0])).isInstanceOf(MapException.class);
        assertThatThrownBy(() -> ring.nextKey(null)).isInstanceOf(MapException.class);
        assertThat(ring.lookupFrom(new byte[4], 0, 0)).isEqualTo(-1);
        assertThat(ring.updateFrom(new byte[4], 0, new byte[4], 0, 0, 0)).isEqualTo(-Errno.EINVAL.code);
        assertThat(ring.deleteFrom(new byte[4], 0)).isEqualTo(-Errno.EINVAL.code);
        assertThat(ring.valueStore()).hasSize(CAPACITY);
        assertThat(ring.valueStride()).isZero();
    }
}
