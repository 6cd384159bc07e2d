package dev.weir.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.property.RandomClusters;
import dev.weir.datapath.maps.MapContents;
import dev.weir.datapath.maps.MemoryMap;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pod churn applied incrementally must give the maps a full recompilation gives. */
class PodUpdateTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void churnAppliedIncrementallyMatchesAFullCompile(long seed) {
        var random = new SplittableRandom(seed);
        ClusterState cluster = new RandomClusters(seed).cluster();
        CompiledCluster compiled = Compiler.compile(cluster);
        // Maps as an agent keeps them: filled once, then only the deltas applied.
        var live = new java.util.LinkedHashMap<String, MemoryMap>();
        for (var spec : compiled.maps()) {
            if (spec.name().equals(WeirMaps.ENDPOINTS) || spec.name().equals(WeirMaps.CONNTRACK)) continue;
            MemoryMap map = MemoryMap.create(spec, 1);
            compiled.contents().fill(spec.name(), map);
            live.put(spec.name(), map);
        }
        for (int step = 0; step < 12; step++) {
            ClusterState current = cluster;
            List<ClusterPod> pods = current.pods();
            if (pods.isEmpty()) break;
            ClusterPod victim = pods.get(random.nextInt(pods.size()));
            var next = ClusterState.builder();
            current.namespaces().stream().filter(ns -> !current.implicitNamespaces().contains(ns.name())).forEach(next::namespace);
            current.policies().forEach(next::policy);
            ClusterPod changed = switch (random.nextInt(4)) {
                case 0 -> null; // deleted
                case 1 -> victim.withLabels(Map.of("app", "relabelled-" + random.nextInt(3)));
                case 2 -> new ClusterPod(victim.namespace(), victim.name(), victim.labels(), "10.200.0." + step,
                        List.of(new PodPort("http", 8000 + step, Protocol.TCP)));
                default -> new ClusterPod(victim.namespace(), "new-" + step, Map.of("app", "web"), "10.201.0." + step, victim.ports());
            };
            boolean added = changed != null && !changed.name().equals(victim.name());
            for (ClusterPod pod : pods) {
                if (!pod.ref().equals(victim.ref()) || added) next.pod(pod);
                else if (changed != null) next.pod(changed);
            }
            if (added) next.pod(changed);
            ClusterState after = next.build();
            var ref = changed == null ? victim.ref() : changed.ref();
            CompiledCluster before = compiled;
            PodUpdate.Delta delta = PodUpdate.podChanged(compiled, after, ref).orElseThrow();
            delta.deletes().forEach(d -> live.get(d.map()).delete(d.key()));
            delta.writes().forEach(w -> live.get(w.map()).update(w.key(), w.value(), 0));
            CompiledCluster incremental = delta.next();
            var oldEndpoint = compiled.endpoint(victim.ref());
            boolean addressLeft = oldEndpoint.isPresent() && oldEndpoint.get().ipv4() != null && !added
                    && (changed == null || !oldEndpoint.get().ipv4().equals(incremental.endpoint(victim.ref()).orElseThrow().ipv4()));
            assertThat(delta.forgetConnectionsOf()).isEqualTo(addressLeft ? List.of(oldEndpoint.get().ipv4()) : List.of());
            CompiledCluster full = Compiler.compile(after, before);

            assertThat(entries(incremental, WeirMaps.IPCACHE)).as("step %d: %s", step, changed).isEqualTo(entries(full, WeirMaps.IPCACHE));
            assertThat(entries(incremental, WeirMaps.NAMED_PORTS)).isEqualTo(entries(full, WeirMaps.NAMED_PORTS));
            assertThat(entries(incremental, WeirMaps.ROWS)).isEqualTo(entries(full, WeirMaps.ROWS));
            assertThat(incremental.programs()).isEqualTo(full.programs());
            full.endpoints().forEach((pod, endpoint) -> assertThat(incremental.endpoint(pod)).contains(endpoint));
            for (var spec : full.maps()) {
                if (spec.name().equals(WeirMaps.ENDPOINTS) || spec.name().equals(WeirMaps.CONNTRACK)) continue; // the agent's
                MemoryMap fresh = MemoryMap.create(spec, 1);
                full.contents().fill(spec.name(), fresh);
                assertThat(MapContents.snapshot(live.get(spec.name()))).as("%s after step %d", spec.name(), step)
                        .isEqualTo(MapContents.snapshot(fresh));
            }
            cluster = after;
            compiled = incremental;
        }
    }

    private static List<String> entries(CompiledCluster compiled, String map) {
        var lines = new ArrayList<String>();
        compiled.contents().entries(map).forEach((k, v) -> lines.add(HexFormat.of().formatHex(k) + "=" + HexFormat.of().formatHex(v)));
        return lines;
    }
}
