package dev.weir.compiler.abi;

import dev.weir.datapath.maps.BpfMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * User-space work on {@value WeirMaps#CONNTRACK}. When an address changes hands (a pod deleted, its address
 * given to another pod later), the connections the old pod had must not carry over to the new one: the
 * agent forgets them. Works on the kernel map and the interpreter's alike.
 */
public final class Conntrack {

    private Conntrack() {}

    /** Deletes every connection with {@code ipv4} at either end; returns how many. */
    public static int forget(BpfMap conntrack, int ipv4) {
        byte[] address = WeirMaps.address(ipv4);
        List<byte[]> doomed = new ArrayList<>();
        Optional<byte[]> key = conntrack.nextKey(null);
        while (key.isPresent()) {
            byte[] k = key.get();
            if (Arrays.equals(k, 0, 4, address, 0, 4) || Arrays.equals(k, 4, 8, address, 0, 4)) {
                doomed.add(k);
            }
            key = conntrack.nextKey(k);
        }
        // Deleting while walking would restart a hash map's iteration; collect first.
        doomed.forEach(conntrack::delete);
        return doomed.size();
    }
}
