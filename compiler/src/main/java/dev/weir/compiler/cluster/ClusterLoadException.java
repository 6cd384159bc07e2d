package dev.weir.compiler.cluster;

/** The cluster input could not be read; the message names the file and, where it applies, the document. */
public final class ClusterLoadException extends RuntimeException {

    public ClusterLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public ClusterLoadException(String message) {
        super(message);
    }
}
