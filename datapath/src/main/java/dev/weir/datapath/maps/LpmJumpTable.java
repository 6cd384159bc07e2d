package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.LpmNodes.NONE;

import java.util.Arrays;

/**
 * A shortcut past the dense top of an LPM trie. Every node lies under the root and shares its first
 * {@code from} bits (the root's prefix length). For each value of the next {@code width} bits, a
 * cell holds where the kernel's lookup walk stands once it has passed every node shorter than
 * {@code from + width} bits: the best entry seen so far and the node to continue from. Those nodes
 * test only bits below {@code from + width}, so the state depends on the cell's bits alone, and a
 * lookup whose key matches the root's prefix can start from the cell instead of the root.
 *
 * <p>10,000 random IPv4 prefixes fill most of a trie's first 14 levels; walking them costs a
 * dependent load and an unpredictable branch per level, about 120 ns, where the cell costs one load.
 * Anchoring at the root's prefix keeps this working when every prefix shares a long start (IPv6
 * prefixes under one /32). A change refreshes only the cells under the changed node (all of them
 * when that node is the root); a new root rebuilds the table.
 */
final class LpmJumpTable {
    private final int maxWidth;
    final int[] cells; // per cell: best entry so far, then the node to continue from
    int from, width;

    /** {@code maxWidth} bits at most, and no more than about 4 cells per entry. */
    LpmJumpTable(int maxPrefixLen, int maxEntries) {
        this.maxWidth = Math.min(Math.min(16, maxPrefixLen), 34 - Integer.numberOfLeadingZeros(maxEntries));
        this.cells = new int[2 << maxWidth];
        Arrays.fill(cells, NONE);
    }

    /** Re-anchors at a new root and recomputes every cell. */
    void rebuild(LpmNodes nodes, int root, int maxPrefixLen) {
        from = root == NONE ? 0 : nodes.prefixLen(root);
        width = Math.min(maxWidth, maxPrefixLen - from);
        refresh(nodes, root, 0, 1 << width);
    }

    /** Recomputes the cells whose bits start with those of {@code changed}, a node under the same root. */
    void refreshUnder(LpmNodes nodes, int root, int changed) {
        int fixed = Math.min(nodes.prefixLen(changed) - from, width);
        int first = fixed == 0 ? 0 : nodes.bits(changed, from, fixed) << (width - fixed);
        refresh(nodes, root, first, 1 << (width - fixed));
    }

    private void refresh(LpmNodes nodes, int root, int first, int count) {
        int end = from + width;
        for (int cell = first; cell < first + count; cell++) {
            int found = NONE, node = root;
            while (node != NONE) {
                int nodeLen = nodes.prefixLen(node);
                if (nodeLen >= end) break;
                int known = nodeLen - from; // bits of the cell this node tests, beyond the root's
                if (known > 0 && nodes.bits(node, from, known) != cell >>> (width - known)) {
                    node = NONE; // the walk would stop here
                    break;
                }
                if (nodes.entry(node) != NONE) found = nodes.entry(node);
                node = nodes.child(node, (cell >>> (width - 1 - known)) & 1);
            }
            cells[2 * cell] = found;
            cells[2 * cell + 1] = node;
        }
    }
}
