package dev.weir.datapath.differential;

import dev.weir.datapath.asm.Disassembler;
import java.util.HexFormat;
import java.util.List;

/**
 * The outcome of running one scenario in both engines: agreement, mismatches, or the kernel
 * verifier refusing the program (which the generator must never cause).
 */
public record Comparison(Scenario scenario, List<Mismatch> mismatches, String verifierRefusal) {
    public boolean agreed() {
        return verifierRefusal == null && mismatches.isEmpty();
    }

    /** A minimal reproducer: the program's disassembly, the packet, the initial maps and what differed. */
    public String reproducer() {
        StringBuilder sb = new StringBuilder();
        sb.append("scenario ").append(scenario.name()).append(" (").append(scenario.type()).append(", seed ")
          .append(scenario.seed()).append(")\n");
        if (verifierRefusal != null) sb.append("kernel verifier refused it:\n").append(verifierRefusal).append('\n');
        mismatches.forEach(m -> sb.append("MISMATCH ").append(m).append('\n'));
        sb.append("packet: ").append(HexFormat.of().formatHex(scenario.packet())).append('\n');
        for (int i = 0; i < scenario.maps().size(); i++) {
            sb.append("map ").append(i).append(' ').append(scenario.maps().get(i)).append('\n');
            for (var e : scenario.initialEntries().get(i)) {
                sb.append("  ").append(HexFormat.of().formatHex(e.key())).append(" = ")
                  .append(HexFormat.of().formatHex(e.value())).append('\n');
            }
        }
        sb.append(Disassembler.disassemble(scenario.bytecode()));
        return sb.toString();
    }
}
