package dev.weir.compiler.policy;

/** Which way a policy rule looks, seen from the pods the policy selects. */
public enum Direction {
    INGRESS("Ingress"),
    EGRESS("Egress");

    /** The spelling in {@code spec.policyTypes}. */
    public final String apiName;

    Direction(String apiName) {
        this.apiName = apiName;
    }
}
