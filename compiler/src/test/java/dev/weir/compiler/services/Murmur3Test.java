package dev.weir.compiler.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference implementation's outputs (MurmurHash3_x64_128, h1 and h2), short, one block and a tail. */
class Murmur3Test {

    @ParameterizedTest
    @CsvSource({
            "'', 0, 0000000000000000, 0000000000000000",
            "'', 42, f02aa77dfa1b8523, d1016610da11cbb9",
            "hello, 0, cbd8a7b341bd9b02, 5b1e906a48ae1d19",
            "hello, 42, c4b8b3c960af6f08, 2334b875b0efbc7a",
            "10.0.0.1:80, 0, 6561d8b9fd8cfaee, 2ae810edd2f8b895",
            "The quick brown fox jumps over the lazy dog, 0, e34bbc7bbc071b6c, 7a433ca9c49a9347",
            "The quick brown fox jumps over the lazy dog, 42, 740dcf93fe0bd5d7, c4546cf4ec705c8f",
    })
    void matchesTheReference(String text, int seed, String h1, String h2) {
        long[] hash = Murmur3.hash128(text.getBytes(StandardCharsets.UTF_8), seed);

        assertThat(hash).containsExactly(Long.parseUnsignedLong(h1, 16), Long.parseUnsignedLong(h2, 16));
    }
}
