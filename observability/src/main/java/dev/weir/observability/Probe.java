package dev.weir.observability;

import java.util.function.BooleanSupplier;

/** A liveness or readiness check: null when it passes, else the reason it does not (served with a 503). */
@FunctionalInterface
public interface Probe {
    /** Always passes: for a process that is alive as long as it answers. */
    Probe PASSES = () -> null;

    /** @return null when the check passes, else why not */
    String failure();

    /** A probe from a condition, failing with {@code reason} while it is false. */
    static Probe when(BooleanSupplier condition, String reason) {
        return () -> condition.getAsBoolean() ? null : reason;
    }
}
