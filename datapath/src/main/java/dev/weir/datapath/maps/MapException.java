package dev.weir.datapath.maps;

/** A map operation refused with an errno, as bpf(2) would refuse it. */
public class MapException extends RuntimeException {
    private final Errno errno;

    public MapException(Errno errno, String message) {
        super(message + " (" + errno + ")");
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
