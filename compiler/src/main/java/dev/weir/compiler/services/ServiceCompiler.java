package dev.weir.compiler.services;

import dev.weir.compiler.cluster.ClusterState;

/** TEMPORARY STUB (replaced by the services-model branch). */
public final class ServiceCompiler {
    private ServiceCompiler() {}

    public static ServiceTable compile(ClusterState cluster) {
        return ServiceTable.EMPTY;
    }
}
