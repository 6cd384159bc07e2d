package dev.weir.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void keepsTheTopLevelStringsOnly() throws Exception {
        String config = """
                {"cniVersion": "1.1.0", "name": "weir", "nested": {"weirSocket": "/wrong"}, "list": [1, {"a": "weirSocket"}, true, null, -2.5e3, 0, 0.5E+7, []],
                 "text": "\\"weirSocket\\": \\"/wrong\\"", "weirSocket": "/run/weir/x\\u0041\\/\\n.sock", "port": 7, "empty": {}}
                """;
        var top = StrictJson.object(config);
        assertThat(top.strings()).isEqualTo(Map.of("cniVersion", "1.1.0", "name", "weir", "text", "\"weirSocket\": \"/wrong\"",
                "weirSocket", "/run/weir/xA/\n.sock"));
        assertThat(top.names()).containsExactlyInAnyOrder("cniVersion", "name", "nested", "list", "text", "weirSocket", "port", "empty");
        assertThat(StrictJson.object(" \t\r\n{}\n").names()).isEmpty();
        assertThat(StrictJson.object("{\"a\":\"\uD83D\uDE00 é\"}").strings()).containsEntry("a", "\uD83D\uDE00 é");
    }

    @Test
    void refusesTextAfterTheObject() {
        refused("{\"cniVersion\":\"1.1.0\",\"weirSocket\":\"S\"}, \"env\":{\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\"}", "text after the configuration object");
        refused("{} {}", "text after the configuration object");
        refused("{}x", "text after the configuration object");
        refused("{}\u0000", "text after the configuration object");
    }

    @Test
    void refusesANameTwiceInOneObject() {
        refused("{\"cniVersion\":\"1.1.0\",\"weirSocket\":\"A\",\"weirSocket\":\"B\"}", "\"weirSocket\" appears twice");
        refused("{\"a\":{\"b\":1,\"b\":2}}", "\"b\" appears twice");
        refused("{\"a\":1,\"\\u0061\":2}", "\"a\" appears twice");
    }

    @Test
    void refusesAnythingButOneObject() {
        refused("", "it is empty");
        refused("  ", "it is empty");
        refused("[]", "not a JSON object");
        refused("\"text\"", "not a JSON object");
        refused("null", "not a JSON object");
        refused("7", "not a JSON object");
        refused("{", "it ends where a name or } was expected");
        refused("{\"a\":1", "it ends where , or } was expected");
        refused("{\"a\" 1}", "expected :");
        refused("{a:1}", "expected a name in quotes");
        refused("{'a':1}", "expected a name in quotes");
        refused("{\"a\":1,}", "expected a name in quotes");
        refused("{\"a\":[1,]}", "expected a value");
        refused("{\"a\":[1 2]}", "expected , or ]");
        refused("{\"a\":tru}", "expected a value");
        refused("{\"a\":nul}", "expected a value");
        refused("{\"a\":True}", "expected a value");
        refused("{\"a\":1} // comment", "text after");
        refused("{\u00a0}", "expected a name in quotes"); // only RFC 8259 whitespace is space
    }

    @Test
    void readsNumbersByTheGrammar() throws Exception {
        for (String number : new String[] {"0", "-0", "12", "-3.25", "1e5", "1E-5", "2.5e+10", "123456789012345678901234567890"}) {
            assertThat(StrictJson.object("{\"n\":" + number + "}").names()).as(number).containsExactly("n");
        }
        for (String number : new String[] {"01", "-", "+1", ".5", "1.", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "1.5.2"}) {
            assertThatThrownBy(() -> StrictJson.object("{\"n\":" + number + "}")).as(number).isInstanceOf(StrictJson.InvalidJson.class);
        }
    }

    @Test
    void refusesBadStringsAndEscapes() {
        refused("{\"a\":\"\\x41\"}", "\\x is not a JSON escape");
        refused("{\"a\":\"\\'\"}", "\\' is not a JSON escape");
        refused("{\"a\":\"\\u12\"}", "\\u needs four hexadecimal digits");
        refused("{\"a\":\"\\u+123\"}", "\\u needs four hexadecimal digits");
        refused("{\"a\":\"\\u١٢٣٤\"}", "\\u needs four hexadecimal digits"); // Arabic-Indic digits are not hex
        refused("{\"a\":\"line\nbreak\"}", "control character (U+000A) is not escaped");
        refused("{\"a\":\"tab\there\"}", "control character (U+0009) is not escaped");
        refused("{\"a\":\"open}", "is not closed");
        refused("{\"a\":\"ends in \\", "is not closed");
    }

    @Test
    void aDepthBombIsRefusedWithoutOverflowingTheStack() throws Exception {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        refused(deep, "nests deeper than 64 levels");
        refused("{\"a\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001), "nests deeper than 64 levels");
        refused("[".repeat(10_000), "not a JSON object");
        // 64 levels, the top object included, are allowed: the agent allows as many.
        assertThat(StrictJson.object("{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}").names()).containsExactly("a");
        refused("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", "nests deeper than 64 levels");
    }

    private static void refused(String text, String why) {
        assertThatThrownBy(() -> StrictJson.object(text)).as(text.length() > 80 ? text.substring(0, 80) : text)
                .isInstanceOf(StrictJson.InvalidJson.class).hasMessageContaining(why).message().doesNotContain("\n");
    }
}
