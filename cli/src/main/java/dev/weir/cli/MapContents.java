package dev.weir.cli;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.simulate.Target;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Map entries as text, decoded with the layouts of {@link WeirMaps}: {@code 10.244.1.10 -> 256} for the
 * ipcache rather than {@code 0af4010a -> 00010000}. Maps or entries of another layout print as hex.
 */
final class MapContents {
    private final Map<Integer, String> portNames = new TreeMap<>();

    MapContents(CompiledCluster compiled) {
        compiled.bits().names().forEach((name, id) -> portNames.put(id, name));
    }

    String entry(String map, byte[] key, byte[] value) {
        return switch (map) {
            case WeirMaps.IPCACHE -> key.length == 4 && value.length == 4
                    ? address(key, 0) + " -> " + WeirMaps.u32(value) : hex(key, value);
            case WeirMaps.PREFIXES -> key.length == 8 && value.length == 4
                    ? address(key, 4) + "/" + le(key).getInt(0) + " -> " + WeirMaps.u32(value) : hex(key, value);
            case WeirMaps.ROWS -> key.length == 4
                    ? "identity " + WeirMaps.u32(key) + " -> selector bits " + BitSet.valueOf(value) : hex(key, value);
            case WeirMaps.NAMED_PORTS -> key.length == WeirMaps.NAMED_PORT_KEY_SIZE ? namedPort(key, value) : hex(key, value);
            default -> hex(key, value);
        };
    }

    /** {address, name id, protocol, 0, port, 0}: "10.244.1.10 http=TCP/8080 -> 1". */
    private String namedPort(byte[] key, byte[] value) {
        ByteBuffer fields = le(key);
        int nameId = Short.toUnsignedInt(fields.getShort(4)), protocol = Byte.toUnsignedInt(fields.get(6)), port = fields.getInt(8);
        return address(key, 0) + " " + portNames.getOrDefault(nameId, "#" + nameId) + "=" + protocolName(protocol) + "/" + port
                + " -> " + HexFormat.of().formatHex(value);
    }

    private static String protocolName(int number) {
        for (var protocol : dev.weir.compiler.cluster.Protocol.values()) {
            if (protocol.number == number) return protocol.name();
        }
        return "proto " + number;
    }

    private static String address(byte[] bytes, int offset) {
        return Target.address(ByteBuffer.wrap(bytes, offset, 4).getInt()).toString();
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String hex(byte[] key, byte[] value) {
        return HexFormat.of().formatHex(key) + " -> " + HexFormat.of().formatHex(value);
    }
}
