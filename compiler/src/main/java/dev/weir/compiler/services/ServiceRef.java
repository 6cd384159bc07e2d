package dev.weir.compiler.services;

import java.util.Objects;

/** A Service's namespace and name, written {@code namespace/name}. */
public record ServiceRef(String namespace, String name) {
    public ServiceRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
