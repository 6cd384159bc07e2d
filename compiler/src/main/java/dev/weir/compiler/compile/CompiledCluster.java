package dev.weir.compiler.compile;

import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.policy.PolicyProblem;
import dev.weir.datapath.maps.MapSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the compiler produces for a cluster: the programs, what the maps must hold, which program each pod
 * runs, the numbering to keep stable next time, and the policies it refused.
 *
 * @param programs   distinct programs, by name
 * @param namespaces per namespace, the programs its pods run
 * @param endpoints  per pod, in input order
 * @param hostAddresses node addresses given the host identity (kept for the next compilation)
 * @param services   the Services compiled for load balancing (their map entries are in {@code contents})
 */
public record CompiledCluster(Identities identities, SelectorBits bits, WeirMaps.Sizes sizes, List<MapSpec> maps,
                              MapImage contents, Map<String, CompiledProgram> programs,
                              Map<String, NamespacePrograms> namespaces, Map<PodRef, PodEndpoint> endpoints,
                              List<PolicyProblem> problems, List<String> warnings, List<Integer> hostAddresses,
                              dev.weir.compiler.services.ServiceTable services) {

    public CompiledCluster {
        maps = List.copyOf(maps);
        programs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(programs));
        namespaces = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(namespaces));
        endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
        hostAddresses = List.copyOf(hostAddresses);
    }

    /** What the next compilation keeps. */
    public Numbering numbering() {
        return new Numbering(identities, bits, sizes);
    }

    public Optional<PodEndpoint> endpoint(PodRef pod) {
        return Optional.ofNullable(endpoints.get(pod));
    }

    public CompiledProgram program(String name) {
        CompiledProgram program = programs.get(name);
        if (program == null) throw new IllegalArgumentException("no program " + name);
        return program;
    }

    public NamespacePrograms namespace(String name) {
        NamespacePrograms programs = namespaces.get(name);
        if (programs == null) throw new IllegalArgumentException("no namespace " + name);
        return programs;
    }
}
