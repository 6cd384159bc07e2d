package dev.weir.datapath.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Corpus tests Weir does not run, each with a one-line reason: exclusions.txt beside this class.
 * An entry is a path suffix ("ubpf/helpers/call.data") or a folder ending in "/".
 */
public final class Exclusions {
    private final Map<String, String> reasons;

    private Exclusions(Map<String, String> reasons) {
        this.reasons = reasons;
    }

    public static Exclusions none() {
        return new Exclusions(Map.of());
    }

    public static Exclusions bundled() {
        var in = Exclusions.class.getResourceAsStream("exclusions.txt");
        if (in == null) throw new IllegalStateException("exclusions.txt is missing from the class path");
        Map<String, String> reasons = new LinkedHashMap<>();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] parts = line.split("\\s+", 2);
                if (parts.length < 2) throw new IllegalStateException("exclusions.txt: no reason for " + parts[0]);
                reasons.put(parts[0], parts[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exclusions(reasons);
    }

    /** The reason a test file is excluded, if it is. */
    public Optional<String> reason(Path file) {
        String path = file.toAbsolutePath().normalize().toString().replace('\\', '/');
        for (var e : reasons.entrySet()) {
            String entry = e.getKey();
            boolean match = entry.endsWith("/") ? path.contains("/" + entry) : path.endsWith("/" + entry);
            if (match) return Optional.of(e.getValue());
        }
        return Optional.empty();
    }

    public Map<String, String> entries() {
        return reasons;
    }
}
