package dev.weir.agent.enforce;

import dev.weir.crds.WeirNode;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.maps.MapSpec;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A node's state that passed every check: its pod ranges and own addresses, its pods by host interface, the programs they name (by
 * content address) ready to load, each as its parts (part 0 first; one part for nearly all), the maps' layout and the published maps' contents. Programs that failed
 * a check are named in {@code refused}, with the reason; pods naming them keep what they run.
 */
public record VerifiedNode(String node, long generation, List<String> podCIDRs, List<String> addresses, Map<String, WeirNode.Pod> pods,
                           Map<String, List<ProgramSpec>> programs, Map<String, String> refused, List<MapSpec> layout,
                           Map<String, NavigableMap<byte[], byte[]>> contents) {}
