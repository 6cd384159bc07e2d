package dev.weir.compiler.services;

import dev.weir.compiler.cluster.PodRef;

/**
 * One backend of a Service port: where its connections go.
 *
 * @param address IPv4 address (host-order int)
 * @param port    the target port on that backend
 * @param pod     the pod it is, or null (an endpoint without a Pod targetRef)
 * @param node    the node it runs on, or null when the EndpointSlice does not say
 */
public record Backend(int address, int port, PodRef pod, String node) {}
