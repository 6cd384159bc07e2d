package dev.weir.agent.enforce;

import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;

/** Where the agent reads Weir's objects from (the informers' caches; a map in tests). Null when absent. */
public interface ArtifactSource {
    WeirNode node(String name);

    WeirProgram program(String name);

    WeirMapChunk chunk(String name);
}
