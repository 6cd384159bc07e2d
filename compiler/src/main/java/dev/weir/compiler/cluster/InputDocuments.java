package dev.weir.compiler.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/** The documents of one input file, read one at a time; a file named {@code *.json} is read as JSON, others as YAML. */
sealed interface InputDocuments extends Iterator<InputDocument>, Closeable permits YamlDocuments, JsonDocuments {

    static InputDocuments open(Path file) throws IOException {
        return file.getFileName().toString().endsWith(".json") ? JsonDocuments.open(file) : YamlDocuments.open(file);
    }
}
