package dev.weir.cli;

import static dev.weir.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Cli.Run;
import dev.weir.datapath.kernel.KernelTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --engine kernel: the same programs through the verifier and BPF_PROG_TEST_RUN give the interpreter's answers. */
@KernelTest
class KernelEngineCommandTest {
    @Test
    void reachabilityMatchesTheInterpreter() {
        for (String port : new String[] {"9000", "5432", "9100", "8080"}) {
            Run kernel = run("reachability", "-f", Cli.SHOP.toString(), "--port", port, "--engine", "kernel", "-o", "json");
            Run interpreter = run("reachability", "-f", Cli.SHOP.toString(), "--port", port, "-o", "json");
            assertThat(kernel.status()).as(kernel.err()).isZero();
            assertThat(kernel.out()).isEqualTo(interpreter.out());
        }
    }

    @Test
    void traceExplainsFromTheKernelsVerdicts() {
        Run r = run("trace", "-f", Cli.SHOP.toString(), "--from", "shop/backend-1", "--to", "data/postgres-0", "--port", "5432",
                "--engine", "kernel");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("allowed by shop/backend egress[0]", "allowed by data/postgres ingress[0]")
                .endsWith("connection shop/backend-1 -> data/postgres-0 TCP/5432: ALLOWED\n");
    }

    @Test
    void traceToAServiceIsTranslatedInTheKernel(@TempDir Path folder) throws Exception {
        TraceServiceTest.podSelectorEgressCoversTheClusterIp(folder, "--engine", "kernel");
    }
}
