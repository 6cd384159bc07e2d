package dev.weir.agent.cni;

/**
 * A CNI error: the spec's code and message, printed as its error JSON with a non-zero exit. Codes 1-99 are
 * the spec's; 100 and up are Weir's own.
 */
public final class CniError extends RuntimeException {
    public static final int INCOMPATIBLE_VERSION = 1, UNSUPPORTED_FIELD = 2, UNKNOWN_CONTAINER = 3, INVALID_ENVIRONMENT = 4,
            IO_FAILURE = 5, DECODE_FAILURE = 6, INVALID_CONFIG = 7, TRY_AGAIN_LATER = 11, NOT_AVAILABLE = 50,
            LIMITED_CONNECTIVITY = 51;
    /** Weir's: the pod could not be wired (netlink refused, no free address...). */
    public static final int WIRING_FAILED = 100;
    /** Weir's: the endpoint could not be made policy-ready. */
    public static final int POLICY_NOT_READY = 101;

    private final int code;
    private final String details;

    public CniError(int code, String message, String details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    public CniError(int code, String message) {
        this(code, message, "");
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
