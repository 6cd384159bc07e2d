package dev.weir.compiler.cluster;

/**
 * A Namespace or Pod whose field Weir cannot read (a null label value, a pod IP that is no address, ...).
 * The message reads {@code Pod shop/web-1: status.podIP: ...}, naming object and field as the API server does.
 */
public final class InvalidFieldException extends IllegalArgumentException {

    private final String object;
    private final String field;
    private final String problem;

    public InvalidFieldException(String object, String field, String problem) {
        super(object + ": " + field + ": " + problem);
        this.object = object;
        this.field = field;
        this.problem = problem;
    }

    /** The object, e.g. {@code Pod shop/web-1} or {@code Namespace shop}. */
    public String object() {
        return object;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
