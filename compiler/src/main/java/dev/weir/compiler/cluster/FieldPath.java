package dev.weir.compiler.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a value sits inside a document or an object, written the way the API server writes field paths:
 * {@code spec.containers[0].ports}. Segments are field names (String) and list indexes (Integer).
 */
public record FieldPath(List<Object> segments) {

    public static final FieldPath ROOT = new FieldPath(List.of());

    public FieldPath {
        segments = List.copyOf(segments);
    }

    public FieldPath field(String name) {
        return append(name);
    }

    public FieldPath index(int index) {
        return append(index);
    }

    /** This path followed by {@code rest}, e.g. a port's place in its Service and a field's place in that port. */
    public FieldPath plus(FieldPath rest) {
        var longer = new ArrayList<>(segments);
        longer.addAll(rest.segments);
        return new FieldPath(longer);
    }

    public boolean startsWith(FieldPath prefix) {
        return segments.size() >= prefix.segments.size() && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** This path as seen from {@code prefix}, which it must start with. */
    public FieldPath relativeTo(FieldPath prefix) {
        if (!startsWith(prefix)) {
            throw new IllegalArgumentException(this + " is not under " + prefix);
        }
        return new FieldPath(segments.subList(prefix.segments.size(), segments.size()));
    }

    private FieldPath append(Object segment) {
        var longer = new ArrayList<>(segments);
        longer.add(segment);
        return new FieldPath(longer);
    }

    @Override
    public String toString() {
        var text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.isEmpty() ? "" : ".").append(segment);
            }
        }
        return text.toString();
    }
}
