package dev.weir.crds;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * A compiled tc program as a content-addressed, signed artifact: named after the SHA-256 of its bytecode
 * and map layouts, so equal programs are one object, and signed by the operator so that an agent loads
 * only what the operator compiled. About 8 bytes per instruction: a program of 100,000 instructions is
 * ~1 MB of base64, under etcd's 1.5 MB object limit; the compiler's parts stay far below (a large program
 * is split into tail-called parts, each its own WeirProgram, named by part 0).
 */
@Group(WeirApi.GROUP)
@Version(WeirApi.VERSION)
@Kind("WeirProgram")
@ShortNames("wprog")
public class WeirProgram extends CustomResource<WeirProgram.Spec, Void> {

    /**
     * @param programName     the program's kernel name (15 characters)
     * @param direction       Ingress or Egress, seen from the pod
     * @param instructions    instruction count, for people
     * @param bytecode        the program's 8-byte slots, base64 (maps referenced by index into {@code maps})
     * @param maps            the maps the bytecode indexes, in index order
     * @param parts           for a program in parts (part 0 here), the WeirProgram names of parts 1, 2, ... in
     *                        slot order of its own program array (the last map); empty for a single part.
     *                        Naming them by content address makes this program's address cover theirs.
     * @param compilerVersion the Weir version that compiled it
     * @param sha256          hex SHA-256 of the canonical bytes (see Artifacts)
     */
    public record Spec(
            @Required String programName,
            @Required @Pattern("^(Ingress|Egress)$") @PrinterColumn(name = "Direction") String direction,
            @PrinterColumn(name = "Instructions") int instructions,
            @Required String bytecode,
            @Required List<MapLayout> maps,
            List<String> parts,
            @Required @PrinterColumn(name = "Compiler") String compilerVersion,
            @Required String sha256,
            Signature signature) implements SignedSpec {}
}
