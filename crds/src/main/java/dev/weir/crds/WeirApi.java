package dev.weir.crds;

/** Weir's API group and version, shared by every kind. */
public final class WeirApi {
    public static final String GROUP = "weir.dev";
    public static final String VERSION = "v1alpha1";

    private WeirApi() {}
}
