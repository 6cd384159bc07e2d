package dev.weir.datapath.kernel;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The decision behind {@link KernelTest}: run, skip, or (under CI) fail. */
public final class KernelTestExtension implements ExecutionCondition, BeforeAllCallback {
    private static final String NEEDS = "needs root or CAP_BPF+CAP_NET_ADMIN: ";

    /** Probed once per JVM: a one-entry map created and closed. */
    private static final class Probe {
        static final Optional<String> UNAVAILABLE = Bpf.unavailableReason();
    }

    static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = Probe.UNAVAILABLE;
        if (reason.isEmpty()) return ConditionEvaluationResult.enabled("bpf(2) is usable");
        if (onCi()) return ConditionEvaluationResult.enabled("CI=true: kernel tests must run, so this one will fail");
        return ConditionEvaluationResult.disabled(NEEDS + reason.get());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Probe.UNAVAILABLE.ifPresent(reason -> {
            throw new IllegalStateException("CI=true but bpf(2) is unusable, " + NEEDS + reason);
        });
    }
}
