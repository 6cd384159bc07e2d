package dev.weir.agent.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.compiler.cluster.Ipv4;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Addresses for the pods of this node, from its pod CIDR. Every allocation is written to disk (a new file,
 * synced, then renamed over the old) before the address is handed out, so a restarted agent never gives an
 * address twice. An allocation belongs to a (container id, interface) pair: asking again gives the same
 * address (CNI ADD may be retried), releasing it twice is harmless (DEL is idempotent).
 */
public final class Ipam {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An address's holder: the (container id, interface) pair, and the pod's host-side interface. */
    public record Allocation(String containerId, String ifname, String hostInterface) {}

    /** What is kept on disk: the range and, per address, its allocation. */
    record Stored(String cidr, Map<String, Allocation> allocations) {}

    private final Path file;
    private final int network;
    private final int prefixLength;
    private final String cidr;
    private final TreeMap<Integer, Allocation> byAddress = new TreeMap<>(Integer::compareUnsigned);

    /**
     * @param file where allocations are kept (its directory must exist)
     * @param cidr the node's pod CIDR, such as {@code 10.244.1.0/24}
     */
    public Ipam(Path file, String cidr) {
        this.file = file;
        String[] parts = cidr.split("/");
        int address = parts.length == 2 ? Ipv4.parse(parts[0]).orElseThrow(() -> new IllegalArgumentException("pod CIDR " + cidr + ": not an IPv4 address")) : 0;
        this.prefixLength = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
        if (prefixLength < 8 || prefixLength > 30) throw new IllegalArgumentException("pod CIDR " + cidr + ": needs an IPv4 prefix between /8 and /30");
        this.network = address & (int) (0xffffffffL << (32 - prefixLength));
        this.cidr = Ipv4.text(network) + "/" + prefixLength;
        load();
    }

    public String cidr() {
        return cidr;
    }

    /** The owner's address: the one it has, or the lowest free one (network and broadcast addresses excluded). */
    public synchronized int allocate(String containerId, String ifname, String hostInterface) {
        var owner = new Allocation(containerId, ifname, hostInterface);
        Optional<Integer> existing = find(containerId, ifname);
        if (existing.isPresent()) return existing.get();
        int size = 1 << (32 - prefixLength);
        for (int offset = 1; offset < size - 1; offset++) {
            int candidate = network + offset;
            if (!byAddress.containsKey(candidate)) {
                byAddress.put(candidate, owner);
                try {
                    save();
                } catch (UncheckedIOException e) {
                    byAddress.remove(candidate);
                    throw e;
                }
                return candidate;
            }
        }
        throw new IllegalStateException("pod CIDR " + cidr + " has no free address (" + byAddress.size() + " allocated)");
    }

    public synchronized Optional<Integer> find(String containerId, String ifname) {
        return byAddress.entrySet().stream().filter(e -> e.getValue().containerId().equals(containerId) && e.getValue().ifname().equals(ifname))
                .map(Map.Entry::getKey).findFirst();
    }

    public synchronized Optional<Allocation> allocation(int address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /** Releases what the owner holds; false when it held nothing. */
    public synchronized boolean release(String containerId, String ifname) {
        Optional<Integer> held = find(containerId, ifname);
        if (held.isEmpty()) return false;
        byAddress.remove(held.get());
        save();
        return true;
    }

    /** Every allocation, by address. */
    public synchronized Map<Integer, Allocation> allocations() {
        return new LinkedHashMap<>(byAddress);
    }

    private void load() {
        if (!Files.exists(file)) return;
        try {
            Stored stored = JSON.readValue(file.toFile(), Stored.class);
            if (!cidr.equals(stored.cidr())) {
                // The node's range changed: addresses outside it are kept only while their pods live (the
                // agent releases them on DEL), and are never handed out again.
                System.getLogger(Ipam.class.getName()).log(System.Logger.Level.WARNING,
                        "IPAM file " + file + " is for " + stored.cidr() + ", the node's pod CIDR is now " + cidr);
            }
            stored.allocations().forEach((address, owner) -> byAddress.put(Ipv4.parse(address)
                    .orElseThrow(() -> new IllegalStateException("IPAM file " + file + ": " + address + " is not an IPv4 address")), owner));
        } catch (IOException e) {
            throw new UncheckedIOException("IPAM file " + file + " cannot be read", e);
        }
    }

    private void save() {
        var allocations = new LinkedHashMap<String, Allocation>();
        byAddress.forEach((address, owner) -> allocations.put(Ipv4.text(address), owner));
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Stored(cidr, allocations));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("IPAM file " + file + " cannot be written", e);
        }
    }
}
