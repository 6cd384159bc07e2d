package dev.weir.compiler.compile;

import dev.weir.compiler.cluster.PodRef;

/**
 * A pod as the datapath sees it.
 *
 * @param ipv4     its address (host notation int), or null when it has no IPv4 address (then no traffic)
 * @param identity its identity number
 */
public record PodEndpoint(PodRef pod, Integer ipv4, int identity) {}
