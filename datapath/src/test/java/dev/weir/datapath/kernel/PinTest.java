package dev.weir.datapath.kernel;

import static dev.weir.datapath.kernel.LittleEndian.u32;
import static dev.weir.datapath.kernel.LittleEndian.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.ProgramType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pinning in bpffs, each test in a folder of its own under /sys/fs/bpf that is removed afterwards. */
@KernelTest
class PinTest {
    private final PinFolder folder = PinFolder.create();

    @AfterEach
    void removeFolder() {
        folder.close();
    }

    @Test
    void mapOutlivesItsDescriptorWhilePinned() {
        MapSpec spec = MapSpec.hash("pinned_map", 4, 8, 4);
        Path path = folder.resolve("maps/pinned_map"); // parent folders are created
        int id;
        try (KernelMap map = KernelMap.create(spec)) {
            map.update(u32(1), u64(42), BpfMap.ANY);
            map.pin(path);
            id = map.info().id();
        }

        try (KernelMap again = KernelMap.openPinned(path)) {
            assertThat(again.spec()).isEqualTo(spec);
            assertThat(again.info().id()).isEqualTo(id);
            assertThat(again.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(42)));
        }

        Bpffs.unpin(path);
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void programComesBackWithNameAndType() {
        Path path = folder.resolve("xdp_pinned");
        try (KernelProgram program = KernelProgram.load(TestPrograms.xdpReturning("xdp_pinned", TestPrograms.XDP_PASS))) {
            program.pin(path);
        }

        try (KernelProgram again = KernelProgram.openPinned(path)) {
            assertThat(again.name()).isEqualTo("xdp_pinned");
            assertThat(again.type()).isEqualTo(ProgramType.XDP);
            assertThat(again.testRun(TestRunRequest.of(TestPrograms.udpFrame())).retval()).isEqualTo(TestPrograms.XDP_PASS);
        }
        Bpffs.unpin(path);
    }

    @Test
    void pinningTwiceAtOnePathIsEexist() {
        Path path = folder.resolve("twice");
        try (KernelMap map = KernelMap.create(MapSpec.array("twice", 4, 1))) {
            map.pin(path);

            assertThatThrownBy(() -> map.pin(path))
                    .isInstanceOfSatisfying(BpfException.class, e -> {
                        assertThat(e.command()).isEqualTo(BpfCommand.OBJ_PIN);
                        assertThat(e.errnoName()).isEqualTo("EEXIST");
                    });
        }
    }

    @Test
    void openingAnEmptyPathIsEnoent() {
        assertThatThrownBy(() -> KernelMap.openPinned(folder.resolve("nothing")))
                .isInstanceOfSatisfying(BpfException.class, e -> {
                    assertThat(e.command()).isEqualTo(BpfCommand.OBJ_GET);
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                });
    }

    @Test
    void aProgramIsNotAMap() {
        Path path = folder.resolve("not_a_map");
        try (KernelProgram program = KernelProgram.load(TestPrograms.xdpReturning("not_a_map", 2))) {
            program.pin(path);
        }
        int before = DescriptorLeakTest.openDescriptors();

        assertThatThrownBy(() -> KernelMap.openPinned(path)).isInstanceOf(RuntimeException.class);
        assertThat(DescriptorLeakTest.openDescriptors()).as("the descriptor is closed again").isEqualTo(before);
    }

    @Test
    void bpffsIsMounted() {
        assertThat(Bpffs.isMounted(Bpffs.ROOT)).isTrue();
    }
}
