package dev.weir.datapath.maps;

/**
 * Recency order of a hash map's slots, for LRU_HASH: a doubly linked list over int arrays, most
 * recently used first, so marking a use and finding the eviction victim are O(1) and allocate
 * nothing. Index {@code capacity} is the list's sentinel.
 *
 * <p>This is an exact LRU. The kernel's is approximate (per-CPU free lists, a reference bit instead
 * of moving on every use) and may evict a little before the map is full; exact order is what
 * tests can state and what a program can rely on least surprisingly.
 */
final class LruOrder {
    /** Circular list through the sentinel: older[sentinel] is the newest slot, newer[sentinel] the eldest. */
    private final int[] newer, older;
    private final int sentinel;

    LruOrder(int capacity) {
        this.newer = new int[capacity + 1];
        this.older = new int[capacity + 1];
        this.sentinel = capacity;
        newer[sentinel] = older[sentinel] = sentinel;
    }

    /** Marks a slot used now: it becomes the last to be evicted. */
    void touch(int slot) {
        if (older[sentinel] == slot) return; // already the newest: the common hot-path case
        unlink(slot);
        linkNewest(slot);
    }

    void add(int slot) {
        linkNewest(slot);
    }

    void remove(int slot) {
        unlink(slot);
    }

    /** The least recently used slot, or -1 when the list is empty. */
    int eldest() {
        int slot = newer[sentinel];
        return slot == sentinel ? -1 : slot;
    }

    private void linkNewest(int slot) {
        int newest = older[sentinel];
        older[slot] = newest;
        newer[slot] = sentinel;
        newer[newest] = slot;
        older[sentinel] = slot;
    }

    private void unlink(int slot) {
        int o = older[slot], n = newer[slot];
        newer[o] = n;
        older[n] = o;
    }
}
