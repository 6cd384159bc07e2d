package dev.weir.datapath.differential;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.ProgramType;
import java.util.List;

/**
 * One differential test case: a program (maps referenced by index), its maps with their initial
 * entries, and the packet it runs on. Everything is a value, so a case can be replayed from its seed.
 */
public record Scenario(long seed, String name, ProgramType type, Code code, List<MapSpec> maps,
                       List<List<Entry>> initialEntries, byte[] packet) {

    public record Entry(byte[] key, byte[] value) {}

    public Scenario {
        maps = List.copyOf(maps);
        initialEntries = initialEntries.stream().map(List::copyOf).toList();
        packet = packet.clone();
        if (initialEntries.size() != maps.size()) throw new IllegalArgumentException("one entry list per map");
    }

    @Override
    public byte[] packet() {
        return packet.clone();
    }

    /** The bytecode both engines load: maps by index (BPF_PSEUDO_MAP_IDX with fd_array). */
    public Bytecode bytecode() {
        return code.encode(name -> {
            for (int i = 0; i < maps.size(); i++) {
                if (maps.get(i).name().equals(name)) return new MapRef.Index(i);
            }
            return null;
        });
    }
}
