package dev.weir.compiler.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterLoader;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.policy.PolicyValidator;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.compiler.reference.ReferenceEvaluator;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * examples/shop, the application the README's reachability walk-through uses: it loads without
 * warnings, every policy is valid, and the reference semantics give what its comments promise.
 */
class ShopExampleTest {
    static final Path SHOP = Path.of("..", "examples", "shop");
    static ClusterLoader.Loaded loaded;
    static ReachabilityEngine.Verdicts verdicts;

    @BeforeAll
    static void load() {
        loaded = ClusterLoader.load(SHOP);
        verdicts = new ReferenceEvaluator().load(loaded.cluster());
    }

    @Test
    void loadsCleanlyAndEveryPolicyIsValid() {
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.cluster().pods()).hasSize(5);
        assertThat(loaded.cluster().policies()).hasSize(6)
                .allSatisfy(p -> assertThat(PolicyValidator.validate(p)).isEmpty());
    }

    @ParameterizedTest(name = "{0} -> {1}:{2}/{3} allowed={4}")
    @CsvSource({
            "shop/frontend-1,        shop/backend-1,         9000, TCP, true",   // frontend calls the API (named port api)
            "shop/frontend-1,        shop/backend-1,         9100, TCP, false",  // but not its metrics
            "shop/frontend-1,        data/postgres-0,        5432, TCP, false",  // nor the database
            "shop/frontend-1,        shop/frontend-2,        8080, TCP, false",  // frontends do not talk to each other
            "shop/backend-1,         data/postgres-0,        5432, TCP, true",   // the backend uses postgres
            "shop/backend-1,         shop/frontend-1,        8080, TCP, false",  // but may not call the frontend
            "monitoring/prometheus-0, shop/backend-1,        9100, TCP, true",   // scrapes backend metrics
            "monitoring/prometheus-0, data/postgres-0,       9187, TCP, true",   // and postgres metrics (named port)
            "monitoring/prometheus-0, data/postgres-0,       5432, TCP, false",  // but not the database port
            "monitoring/prometheus-0, shop/frontend-1,       8080, TCP, true",   // the frontend is public
            "data/postgres-0,        shop/backend-1,         9000, TCP, false",  // data may not open connections
            "shop/backend-1,         shop/backend-1,         9000, TCP, true",   // a pod may always reach itself
    })
    void podToPod(String from, String to, int port, Protocol protocol, boolean allowed) {
        assertThat(verdicts.allows(Endpoint.pod(from.strip()), Endpoint.pod(to.strip()), port, protocol)).isEqualTo(allowed);
    }

    @Test
    void theFrontendIsPublicAndNothingElseIs() {
        Endpoint internet = Endpoint.external("203.0.113.9");
        assertThat(verdicts.allows(internet, Endpoint.pod("shop/frontend-2"), 8080, Protocol.TCP)).isTrue();
        assertThat(verdicts.allows(internet, Endpoint.pod("shop/backend-1"), 9000, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(internet, Endpoint.pod("data/postgres-0"), 5432, Protocol.TCP)).isFalse();
    }
}
