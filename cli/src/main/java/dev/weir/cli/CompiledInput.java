package dev.weir.cli;

import dev.weir.compiler.cluster.ClusterLoader;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A cluster snapshot read from YAML and compiled. What was skipped and which objects, rules and policies were
 * refused go to stderr, one line each, as they would from kubectl: the rest compiled, so they are warnings,
 * not errors.
 */
record CompiledInput(ClusterState cluster, CompiledCluster compiled) {

    /** Throws ClusterLoadException (a user-ready message) when the input cannot be read. */
    static CompiledInput load(Path path, PrintWriter err) {
        ClusterLoader.Loaded loaded = ClusterLoader.load(path);
        loaded.warnings().forEach(warning -> err.println("weir: warning: " + warning));
        loaded.refused().forEach(refusal -> err.println("weir: refused: " + refusal));
        CompiledCluster compiled = Compiler.compile(loaded.cluster());
        compiled.warnings().forEach(warning -> err.println("weir: warning: " + warning));
        compiled.problems().forEach(problem -> err.println("weir: refused: " + problem));
        return new CompiledInput(loaded.cluster(), compiled);
    }
}
