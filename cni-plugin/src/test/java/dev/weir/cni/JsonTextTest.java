package dev.weir.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void findsTheTopLevelFieldOnly() {
        String config = """
                {"cniVersion": "1.1.0", "name": "weir", "nested": {"weirSocket": "/wrong"}, "list": [1, {"a": "weirSocket"}, true, null, -2.5e3],
                 "text": "\\"weirSocket\\": \\"/wrong\\"", "weirSocket": "/run/weir/x\\u0041.sock"}
                """;
        assertThat(JsonText.topLevelString(config, "weirSocket")).isEqualTo("/run/weir/xA.sock");
        assertThat(JsonText.topLevelString("{\"cniVersion\":\"1.1.0\"}", "weirSocket")).isNull();
        assertThat(JsonText.topLevelString("{}", "weirSocket")).isNull();
        assertThatThrownBy(() -> JsonText.topLevelString("{\"a\": nope}", "weirSocket")).hasMessageContaining("unexpected \"nope\"");
        assertThatThrownBy(() -> JsonText.topLevelString("{\"a\": 1", "weirSocket")).hasMessageContaining("unexpected end");
    }

    @Test
    void quotesWhatJsonNeedsQuoted() {
        assertThat(JsonText.quote(new StringBuilder(), "a\"b\\c\nd\u0001").toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void versionIsAnsweredWithoutTheAgentAndErrorsAreTheSpecsJson() {
        var out = new ByteArrayOutputStream();
        assertThat(Main.run(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.1.0\"}", new PrintStream(out))).isZero();
        assertThat(out.toString()).isEqualTo(Main.VERSIONS);
        out.reset();
        int exit = Main.run(Map.of("CNI_COMMAND", "STATUS"), "{\"cniVersion\":\"1.1.0\",\"weirSocket\":\"/nonexistent/weir.sock\"}", new PrintStream(out));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).startsWith("{\"cniVersion\":\"1.1.0\",\"code\":50,\"msg\":\"the Weir agent is not reachable at /nonexistent/weir.sock\"");
        out.reset();
        assertThat(Main.run(Map.of("CNI_COMMAND", "ADD"), "not json", new PrintStream(out))).isEqualTo(1);
        assertThat(out.toString()).contains("\"code\":6");
    }
}
