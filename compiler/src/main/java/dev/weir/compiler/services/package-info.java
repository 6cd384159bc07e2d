/**
 * Services, as kube-proxy defines them, compiled for the datapath in three stages (as Cilium's
 * pkg/loadbalancer): the Services and EndpointSlices read from the cluster ({@link ClusterService},
 * {@link ClusterEndpointSlice}); per Service port, the backends kube-proxy would use ({@link LoadBalanced});
 * the frontends that reach them ({@link Frontend}). {@link ServiceTable} holds the last two; the maps the
 * datapath reads are made from it by {@link dev.weir.compiler.abi.LbMaps}.
 */
package dev.weir.compiler.services;
