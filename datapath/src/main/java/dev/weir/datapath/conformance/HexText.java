package dev.weir.datapath.conformance;

import dev.weir.datapath.isa.Bytecode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The hex notations of the corpus: memory bytes and raw instruction slots. */
final class HexText {
    private HexText() {}

    /**
     * Memory bytes: whitespace-separated hex ({@code aa bb 11}), also in groups ({@code 0026 622f}) and
     * with tcpdump -x offsets ({@code 0x0010:}), which are skipped. {@code #} starts a comment.
     */
    static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : text.split("\\R")) {
            for (String token : tokens(line)) {
                if (token.endsWith(":")) continue;
                String digits = token.startsWith("0x") || token.startsWith("0X") ? token.substring(2) : token;
                if (digits.length() == 1) digits = "0" + digits;
                if (digits.length() % 2 != 0) throw new IllegalArgumentException("odd number of hex digits: '" + token + "'");
                out.writeBytes(parseHex(digits, token));
            }
        }
        return out.toByteArray();
    }

    /**
     * Raw instructions, one slot a line: a 64-bit number whose low byte is the opcode
     * ({@code 0x0000000000000095}), or the slot's eight bytes in memory order ({@code 95 00 00 00 00 00 00 00}).
     */
    static Bytecode slots(String text) {
        List<Long> slots = new ArrayList<>();
        for (String line : text.split("\\R")) {
            List<String> tokens = tokens(line);
            if (tokens.isEmpty()) continue;
            if (tokens.size() == 1) {
                slots.add(number(tokens.getFirst()));
            } else if (tokens.size() == Bytecode.SLOT) {
                byte[] b = parseHex(String.join("", tokens.stream().map(HexText::twoDigits).toList()), line);
                long value = 0;
                for (int k = Bytecode.SLOT - 1; k >= 0; k--) value = (value << 8) | (b[k] & 0xff);
                slots.add(value);
            } else {
                throw new IllegalArgumentException("raw line is neither a 64-bit slot nor 8 bytes: '" + line.strip() + "'");
            }
        }
        return Bytecode.ofSlots(slots.stream().mapToLong(Long::longValue).toArray());
    }

    /** An unsigned 64-bit number, hex with 0x or decimal. */
    static long number(String token) {
        try {
            if (token.startsWith("0x") || token.startsWith("0X")) return Long.parseUnsignedLong(token.substring(2), 16);
            return Long.parseUnsignedLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a 64-bit number: '" + token + "'");
        }
    }

    private static String twoDigits(String token) {
        if (token.length() != 2) throw new IllegalArgumentException("not a hex byte: '" + token + "'");
        return token;
    }

    private static List<String> tokens(String line) {
        int hash = line.indexOf('#');
        String text = (hash < 0 ? line : line.substring(0, hash)).strip();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    }

    private static byte[] parseHex(String digits, String context) {
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex: '" + context.strip() + "'");
        }
    }
}
