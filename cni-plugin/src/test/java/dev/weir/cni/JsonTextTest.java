package dev.weir.cni;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void quotesWhatJsonNeedsQuoted() {
        assertThat(JsonText.quote(new StringBuilder(), "a\"b\\c\nd\u0001").toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
