package dev.weir.crds;

import io.fabric8.generator.annotation.Required;

/** A map a program indexes: BPF_MAP_CREATE's fields. */
public record MapLayout(@Required String name, @Required String type, int keySize, int valueSize, int maxEntries, int flags) {}
