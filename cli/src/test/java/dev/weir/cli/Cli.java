package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the command line in-process, as bin/weir would, capturing what it prints. */
final class Cli {
    /** The bundled example, from the cli module folder (surefire's working directory). */
    static final Path SHOP = Path.of("..", "examples", "shop");

    private Cli() {}

    record Run(int status, String out, String err) {
        /** A failure as users should see it: a non-zero status and one line on stderr, no stack trace. */
        Run failsWithOneLine(String expected) {
            assertThat(status).as(err).isNotZero();
            assertThat(err.strip()).doesNotContain("\n").doesNotContain("Exception").isEqualTo(expected);
            return this;
        }
    }

    static Run run(String... args) {
        return runWithInput("", args);
    }

    static Run runWithInput(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter out = new StringWriter(), err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            var cmd = Weir.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            int status = cmd.execute(args);
            return new Run(status, out + captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
    }
}
