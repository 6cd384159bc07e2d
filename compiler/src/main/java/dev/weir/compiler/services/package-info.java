/**
 * Services, as kube-proxy defines them, compiled for the datapath in three stages (as Cilium's
 * pkg/loadbalancer): the Services and EndpointSlices read from the cluster ({@link ClusterService},
 * {@link ClusterEndpointSlice}; slices a selector implies are made by {@link EndpointSliceController} when the
 * input has none); per Service port, the backends kube-proxy would use ({@link LoadBalanced}); the frontends that
 * reach them ({@link Frontend}). {@link ServiceCompiler} makes the {@link ServiceTable} that holds the last two,
 * and {@link Maglev} each Service port's consistent-hashing table; the maps the datapath reads are made from them
 * by {@link dev.weir.compiler.abi.LbMaps}.
 */
package dev.weir.compiler.services;
