package dev.weir.agent.cni;

import dev.weir.agent.network.PodNetwork;

/** What the CNI service asks of the datapath: make a wired pod's endpoint policy-ready, and forget one. */
public interface Endpoints {

    /** A pod the CNI plugin wired. {@code namespace} and {@code name} are null when the runtime gave none. */
    record LocalPod(String containerId, String namespace, String name, PodNetwork.Wiring wiring) {}

    /**
     * Returns once packets to and from the pod meet its policy (or, while its policy is not yet known, are
     * dropped): never is a pod's interface open before its programs are attached.
     */
    void added(LocalPod pod);

    /** Detaches and forgets the endpoint on {@code hostInterface}; nothing when there is none. */
    void removed(String hostInterface);

    /** Null when ready to serve pods, else why not. */
    String notReadyBecause();
}
