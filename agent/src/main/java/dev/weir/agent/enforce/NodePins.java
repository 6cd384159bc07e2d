package dev.weir.agent.enforce;

import dev.weir.compiler.abi.WeirMaps;
import dev.weir.datapath.kernel.BpfObject;
import dev.weir.datapath.kernel.Bpffs;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.ProgramChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Where a node's datapath is pinned in bpffs, so that enforcement outlives the agent:
 * <pre>
 *   ROOT/maps/NAME                    Weir's maps
 *   ROOT/links/INTERFACE/from-pod     a pod's tcx links (tc ingress of its host-side interface)
 *   ROOT/links/INTERFACE/to-pod       (tc egress)
 *   ROOT/jumps/PROGRAM-ID             the program array of a program in parts (id: the array's kernel id)
 * </pre>
 */
final class NodePins {
    private static final Logger LOG = Logger.getLogger(NodePins.class.getName());

    /** The two hooks of a pod's host-side interface, by the direction of the packets they see. */
    enum Hook {
        FROM_POD("from-pod"), TO_POD("to-pod");

        final String pin;

        Hook(String pin) {
            this.pin = pin;
        }
    }

    private final Path root;

    NodePins(Path root) {
        this.root = root;
    }

    Path link(String hostInterface, Hook hook) {
        return links().resolve(hostInterface).resolve(hook.pin);
    }

    Path links() {
        return root.resolve("links");
    }

    /** Named by the array's kernel id too: a new agent loads the same program again beside the old one. */
    Path jumps(ProgramChain chain) {
        return root.resolve("jumps").resolve(chain.entry().name() + "-" + chain.jumps().info().id());
    }

    /** Pins {@code object} at {@code path}, replacing what was pinned there. */
    void pin(BpfObject object, Path path) {
        if (Files.exists(path)) Bpffs.unpin(path);
        Bpffs.pin(object, path);
    }

    /** Every Weir map pinned, or none when the set is incomplete (it is built again at the first apply). */
    List<KernelMap> adoptMaps() {
        Path folder = root.resolve("maps");
        var adopted = new ArrayList<KernelMap>();
        if (!Files.isDirectory(folder)) return adopted;
        for (String name : WeirMaps.NAMES) {
            Path pin = folder.resolve(name);
            if (Files.exists(pin)) adopted.add(KernelMap.openPinned(pin));
        }
        if (adopted.size() == WeirMaps.NAMES.size()) return adopted;
        adopted.forEach(KernelMap::close);
        return List.of();
    }

    /** The new maps take the old ones' pins. */
    void replaceMaps(List<KernelMap> maps) {
        Path folder = root.resolve("maps");
        deleteQuietly(folder);
        for (KernelMap map : maps) pin(map, folder.resolve(map.spec().name()));
    }

    /** The interface folders under links/. */
    List<Path> linkFolders() {
        if (!Files.isDirectory(links())) return List.of();
        try (Stream<Path> folders = Files.list(links())) {
            return folders.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + links(), e);
        }
    }

    /** Removes the pinned program arrays but {@code kept}. */
    void removeJumpsBut(Set<Path> kept) {
        Path folder = root.resolve("jumps");
        if (!Files.isDirectory(folder)) return;
        try (Stream<Path> pinned = Files.list(folder)) {
            pinned.filter(pin -> !kept.contains(pin)).forEach(NodePins::deleteQuietly);
        } catch (IOException e) {
            LOG.warning("cannot list " + folder + ": " + e.getMessage());
        }
    }

    /** Everything: uninstalling Weir from the node. */
    void removeAll() {
        deleteQuietly(root);
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) return;
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warning("cannot remove " + path + ": " + e.getMessage());
        }
    }
}
