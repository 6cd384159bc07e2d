package dev.weir.agent.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/**
 * Where the agent keeps the generation it applied last, so that a restarted agent refuses older specs too
 * (a replay after a restart). Written atomically; it only moves forward.
 *
 * @param path the file, or null when nothing is kept (then {@link #read()} is 0)
 */
public record GenerationFile(Path path) {
    private static final Logger LOG = Logger.getLogger(GenerationFile.class.getName());

    public static GenerationFile none() {
        return new GenerationFile(null);
    }

    /** The generation kept, 0 when none is (or the file cannot be read, which is logged). */
    public long read() {
        if (path == null || !Files.exists(path)) return 0;
        try {
            return Long.parseLong(Files.readString(path).strip());
        } catch (IOException | NumberFormatException e) {
            LOG.warning("cannot read " + path + ": " + e.getMessage());
            return 0;
        }
    }

    /** Keeps the generation if it is newer than the one kept. */
    public void keep(long generation) {
        if (path == null || generation <= read()) return;
        try {
            Path temporary = path.resolveSibling(path.getFileName() + ".new");
            Files.writeString(temporary, Long.toString(generation));
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warning("cannot keep the generation in " + path + ": " + e.getMessage());
        }
    }
}
