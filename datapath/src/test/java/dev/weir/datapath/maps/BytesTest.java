package dev.weir.datapath.maps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key comparison and hashing: a table only compares keys whose hashes collide, so test them directly. */
class BytesTest {
    @Test
    void equalSeesADifferenceInEveryByteForEveryLength() {
        Random random = new Random(1);
        for (int length = 0; length <= 40; length++) {
            byte[] a = new byte[length + 5];
            random.nextBytes(a);
            byte[] b = new byte[length + 3];
            System.arraycopy(a, 5, b, 3, length);
            assertThat(Bytes.equal(a, 5, b, 3, length)).as("length %d", length).isTrue();
            for (int i = 0; i < length; i++) {
                b[3 + i] ^= 1;
                assertThat(Bytes.equal(a, 5, b, 3, length)).as("length %d, byte %d differs", length, i).isFalse();
                b[3 + i] ^= 1;
            }
        }
    }

    @Test
    void theHashDependsOnEveryByteAndOnlyOnTheKey() {
        Random random = new Random(2);
        for (int length = 1; length <= 40; length++) {
            byte[] key = new byte[length + 2];
            random.nextBytes(key);
            int hash = Bytes.hash(key, 2, length);
            byte[] copy = new byte[length];
            System.arraycopy(key, 2, copy, 0, length);
            assertThat(Bytes.hash(copy, 0, length)).isEqualTo(hash);
            for (int i = 0; i < length; i++) {
                key[2 + i] ^= (byte) 0x80;
                assertThat(Bytes.hash(key, 2, length)).as("length %d, byte %d flipped", length, i).isNotEqualTo(hash);
                key[2 + i] ^= (byte) 0x80;
            }
        }
    }

    @Test
    void theLowBitsOfTheHashSpreadSequentialKeys() {
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 1024; i++) buckets.add(Bytes.hash(TestBytes.u32(i), 0, 4) & 1023);
        assertThat(buckets).as("1024 keys in 1024 buckets: about 647 distinct if random").hasSizeGreaterThan(600);
    }

    @Test
    void networkOrderBits() {
        byte[] data = {(byte) 0b1010_0000, 1};
        assertThat(Bytes.bit(data, 0, 0)).isEqualTo(1);
        assertThat(Bytes.bit(data, 0, 1)).isZero();
        assertThat(Bytes.bit(data, 0, 2)).isEqualTo(1);
        assertThat(Bytes.bit(data, 0, 15)).isEqualTo(1);
        assertThat(Bytes.bit(data, 1, 7)).isEqualTo(1);
    }
}
