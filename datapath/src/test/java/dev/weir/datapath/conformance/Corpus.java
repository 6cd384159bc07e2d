package dev.weir.datapath.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared, read-only conformance corpora: {@code <weir.shared.dir>/conformance}. Maven passes
 * weir.shared.dir; run from an IDE without it, the default is the folder next to the repository.
 */
public final class Corpus {
    private Corpus() {}

    /** Folders of tests whose programs must assemble and run: no ELF loader tests, no error tests. */
    public static final List<String> POSITIVE_FOLDERS = List.of("bpf-conformance", "ubpf", "ubpf/extensions",
            "ubpf/helpers", "ubpf/tcp-port-80", "ubpf/tcp-sack");

    public static Path root() {
        String shared = System.getProperty("weir.shared.dir", "/work/main/../shared");
        return Path.of(shared).resolve("conformance").normalize();
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** The .data files directly in one folder, sorted. */
    public static List<Path> dataFiles(String folder) {
        try (Stream<Path> files = Files.list(root().resolve(folder))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".data")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> positiveFiles() {
        return POSITIVE_FOLDERS.stream().flatMap(folder -> dataFiles(folder).stream()).toList();
    }

    /** Every .data file under the corpus root, sorted. */
    public static List<Path> allFiles() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".data")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "ubpf/tcp-sack/match.data": a stable test name. */
    public static String displayName(Path file) {
        return root().relativize(file).toString();
    }

    public static ConformanceTest parse(Path file) {
        try {
            return ConformanceTest.parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
