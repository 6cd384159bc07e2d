package dev.weir.compiler.services;

import java.util.List;

/** TEMPORARY STUB (replaced by the services-model branch). */
public final class Maglev {
    private Maglev() {}

    public static int[] table(List<Backend> backends, int size) {
        int[] table = new int[size];
        for (int i = 0; i < size; i++) table[i] = backends.isEmpty() ? -1 : i % backends.size();
        return table;
    }
}
