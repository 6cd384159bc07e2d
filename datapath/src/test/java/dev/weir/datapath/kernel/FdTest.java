package dev.weir.datapath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FdTest {
    private static Fd openDevNull() {
        Libc.Result r = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC);
        assertThat(r.failed()).isFalse();
        return new Fd((int) r.value(), "/dev/null");
    }

    @Test
    void closesOnceAndRefusesUseAfterClose() {
        Fd fd = openDevNull();
        int number = fd.get();
        assertThat(Files.exists(Path.of("/proc/self/fd/" + number))).isTrue();

        fd.close();
        fd.close();

        assertThat(fd.isOpen()).isFalse();
        assertThat(fd.toString()).isEqualTo("/dev/null (closed)");
        assertThatThrownBy(fd::get).isInstanceOf(IllegalStateException.class).hasMessage("/dev/null: file descriptor already closed");
    }

    @Test
    void closingADescriptorClosedElsewhereIsReported() {
        Fd fd = openDevNull();
        Libc.close(fd.get());

        assertThatThrownBy(fd::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("EBADF");
    }

    @Test
    void refusesNegativeNumbers() {
        assertThatThrownBy(() -> new Fd(-1, "nothing")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void possibleCpusParsesRangeLists() {
        assertThat(PossibleCpus.parse("0-1\n")).isEqualTo(2);
        assertThat(PossibleCpus.parse("0")).isEqualTo(1);
        assertThat(PossibleCpus.parse("0,2-5,7")).isEqualTo(6);
    }
}
