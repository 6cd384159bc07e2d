package dev.weir.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An example cluster bundled from the repository's examples/ folder (see cli/pom.xml), read in place: from
 * the jar through a zip file system, or from target/classes when running from the build (tests, IDEs).
 */
final class EmbeddedExample implements AutoCloseable {
    private final FileSystem jar;
    private final Path folder;

    private EmbeddedExample(FileSystem jar, Path folder) {
        this.jar = jar;
        this.folder = folder;
    }

    static EmbeddedExample open(String name) throws IOException {
        Path code = codeSource();
        FileSystem jar = Files.isDirectory(code) ? null : FileSystems.newFileSystem(code);
        Path folder = (jar == null ? code : jar.getPath("/")).resolve("examples").resolve(name);
        if (!Files.isDirectory(folder)) {
            if (jar != null) jar.close();
            throw new IllegalStateException("the example " + name + " is not bundled in this build");
        }
        return new EmbeddedExample(jar, folder);
    }

    Path folder() {
        return folder;
    }

    @Override
    public void close() throws IOException {
        if (jar != null) jar.close();
    }

    /** The jar (or classes folder) this class was loaded from. */
    private static Path codeSource() {
        try {
            return Path.of(EmbeddedExample.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate Weir's own jar", e);
        }
    }
}
