package dev.weir.datapath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.maps.MapException;
import dev.weir.datapath.maps.MapSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every path that opens a descriptor closes it: /proc/self/fd counts the same before and after. */
@KernelTest
class DescriptorLeakTest {
    private static final int ROUNDS = 2_000;

    static int openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void loadingAndClosingThousandsOfProgramsAndMapsLeaksNothing() {
        round(); // first use loads classes and opens jars: not what is measured
        int before = openDescriptors();

        for (int i = 0; i < ROUNDS; i++) round();

        assertThat(openDescriptors()).isEqualTo(before);
    }

    @Test
    void failuresLeakNothingEither() {
        failures();
        int before = openDescriptors();

        for (int i = 0; i < 50; i++) failures(); // each failed load verifies twice with a 16 MiB log

        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static void round() {
        try (KernelMap counters = KernelMap.create(TestPrograms.counterSpec());
             KernelProgram program = KernelProgram.load(TestPrograms.xdpCounter(), counters)) {
            program.testRun(TestRunRequest.of(TestPrograms.udpFrame()));
            counters.lookupBatch();
        }
    }

    private static void failures() {
        assertThatThrownBy(() -> KernelProgram.load(TestPrograms.readsUninitialisedRegister()))
                .isInstanceOf(VerifierException.class);
        try (KernelMap map = KernelMap.create(MapSpec.hash("leak_errno", 4, 4, 1))) {
            assertThatThrownBy(() -> map.delete(new byte[4])).isInstanceOf(MapException.class);
        }
        assertThatThrownBy(() -> KernelMap.create(MapSpec.hash("leak_huge", 4, 8 << 20, 1)))
                .isInstanceOf(BpfException.class);
    }
}
