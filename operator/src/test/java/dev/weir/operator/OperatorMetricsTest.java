package dev.weir.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
    @Test
    void passesAreAHistogramWithTheBucketsFrom1msTo60s() {
        var metrics = new OperatorMetrics();
        metrics.passSeconds.record(300, TimeUnit.MILLISECONDS);
        metrics.passes.increment();
        String scrape = metrics.registry().scrape();
        assertThat(scrape).contains("# TYPE weir_operator_pass_seconds histogram",
                "weir_operator_pass_seconds_bucket{le=\"0.001\"} 0", "weir_operator_pass_seconds_bucket{le=\"0.0025\"} 0",
                "weir_operator_pass_seconds_bucket{le=\"0.25\"} 0", "weir_operator_pass_seconds_bucket{le=\"0.5\"} 1",
                "weir_operator_pass_seconds_bucket{le=\"60.0\"} 1", "weir_operator_pass_seconds_bucket{le=\"+Inf\"} 1",
                "weir_operator_pass_seconds_count 1", "weir_operator_pass_seconds_sum 0.3",
                "# TYPE weir_operator_passes_total counter", "weir_operator_passes_total 1");
    }

    @Test
    void gaugesShowTheLastValues() {
        var metrics = new OperatorMetrics();
        metrics.generation.set(7);
        metrics.lastPassNanos.set(1_500_000_000L);
        assertThat(metrics.registry().scrape()).contains("# TYPE weir_operator_generation gauge", "weir_operator_generation 7",
                "# TYPE weir_operator_last_pass_seconds gauge", "weir_operator_last_pass_seconds 1.5",
                "weir_operator_objects_written_total 0", "weir_operator_failed_passes_total 0",
                "weir_operator_programs 0", "weir_operator_identities 0", "weir_operator_refused_policies 0");
    }
}
