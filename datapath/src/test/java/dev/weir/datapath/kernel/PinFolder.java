package dev.weir.datapath.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder of its own under /sys/fs/bpf for a test's pins, removed with everything in it on close. */
record PinFolder(Path path) implements AutoCloseable {
    static PinFolder create() {
        Bpffs.ensureMounted();
        Path path = Bpffs.ROOT.resolve(NetFixture.uniqueName("weir-test-"));
        try {
            Files.createDirectory(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PinFolder(path);
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() {
        if (!Files.exists(path)) return;
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
