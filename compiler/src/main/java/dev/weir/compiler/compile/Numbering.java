package dev.weir.compiler.compile;

import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.abi.WeirMaps;

/**
 * What a compilation hands the next one so that numbers and layouts stay put: identities, selector bits
 * and port-name ids, and map sizes (which only grow). An operator persists it across restarts.
 */
public record Numbering(Identities identities, SelectorBits bits, WeirMaps.Sizes sizes) {

    public static final Numbering NONE = new Numbering(Identities.EMPTY, SelectorBits.EMPTY,
            new WeirMaps.Sizes(0, 0, 0, 0, 0, Compiler.DEFAULT_CONNECTIONS, null));
}
