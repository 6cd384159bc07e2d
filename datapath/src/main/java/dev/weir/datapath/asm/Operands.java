package dev.weir.datapath.asm;

import dev.weir.datapath.isa.Imm;
import dev.weir.datapath.isa.Imm64;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.isa.Register;
import dev.weir.datapath.isa.Source;
import dev.weir.datapath.isa.Target;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operand syntax of the conformance corpus: registers {@code %r0}..{@code %r10}, decimal or hex
 * immediates, memory operands {@code [%r1+12]}, jump targets (a label or {@code +N}/{@code -N} slots).
 * Also Weir's extensions for the 64-bit immediate kinds the corpus cannot name: {@code map[NAME]},
 * {@code map[fd:N]}, {@code map[idx:N]}, {@code map_value[REF]+OFF}, {@code btf_id[ID:FD]},
 * {@code subprog[TARGET]}, so that every {@code Code} can be written out and read back.
 */
final class Operands {
    private Operands() {}

    /** Label and map names: identifiers, also with dots, dollars and inner hyphens. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_.$][\\w.$-]*");

    private static final Pattern REGISTER = Pattern.compile("%r(\\d+)");
    private static final Pattern INTEGER = Pattern.compile("([+-]?)(?:0[xX]([0-9a-fA-F]+)|([0-9]+))");
    private static final Pattern MEMORY = Pattern.compile("\\[\\s*([^\\]+-]*?)\\s*(?:([+-])\\s*([^\\]]*?)\\s*)?]");
    private static final Pattern MAP = Pattern.compile("map\\[([^\\]]*)]");
    private static final Pattern MAP_VALUE = Pattern.compile("map_value\\[([^\\]]*)]([+-].+)?");
    private static final Pattern BTF_ID = Pattern.compile("btf_id\\[([^:\\]]+)(?::([^\\]]+))?]");
    private static final Pattern SUBPROG = Pattern.compile("subprog\\[([^\\]]+)]");

    private static final BigInteger I16_MIN = BigInteger.valueOf(Short.MIN_VALUE);
    private static final BigInteger I16_MAX = BigInteger.valueOf(Short.MAX_VALUE);
    private static final BigInteger I32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger I32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger U32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A memory operand: base register and signed 16-bit offset. */
    record Memory(Register base, short offset) {}

    static Register register(String text) {
        Matcher m = REGISTER.matcher(text);
        if (!m.matches()) {
            if (text.startsWith("%")) throw new LineProblem("Invalid register '" + text + "'");
            throw new LineProblem("Expected a register (%r0 to %r10), found '" + text + "'");
        }
        String digits = m.group(1);
        if (digits.length() > 2 || Integer.parseInt(digits) > 10) {
            throw new LineProblem("Invalid register '" + text + "': registers are %r0 to %r10");
        }
        return Register.of(Integer.parseInt(digits));
    }

    static Source registerOrImm32(String text) {
        return text.startsWith("%") ? register(text) : new Imm(imm32(text));
    }

    /**
     * A 32-bit immediate. Decimal must fit a signed int; hex may also be written unsigned
     * (0xffffffff is -1), as the corpus does. Anything wider is an error, not a silent truncation.
     */
    static int imm32(String text) {
        BigInteger value = integer(text, "immediate");
        BigInteger max = isHex(text) ? U32_MAX : I32_MAX;
        if (value.compareTo(I32_MIN) < 0 || value.compareTo(max) > 0) {
            throw new LineProblem("Immediate " + text + " out of 32-bit range");
        }
        return value.intValue();
    }

    /** A 64-bit immediate for lddw: signed or unsigned, decimal or hex. */
    static long imm64(String text) {
        BigInteger value = integer(text, "immediate");
        if (value.compareTo(I64_MIN) < 0 || value.compareTo(U64_MAX) > 0) {
            throw new LineProblem("Immediate " + text + " out of 64-bit range");
        }
        return value.longValue();
    }

    static Memory memory(String text) {
        Matcher m = MEMORY.matcher(text);
        if (!m.matches()) {
            throw new LineProblem("Expected a memory operand like [%r1+8], found '" + text + "'");
        }
        Register base = register(m.group(1));
        if (m.group(2) == null) return new Memory(base, (short) 0);
        String offset = m.group(2) + m.group(3);
        return new Memory(base, (short) signed(offset, "Offset", I16_MIN, I16_MAX, 16));
    }

    /** A jump target: a label name, or a signed slot offset of at most {@code bits} bits (16 or 32). */
    static Target target(String text, int bits) {
        if (text.startsWith("+") || text.startsWith("-")) {
            BigInteger min = bits == 16 ? I16_MIN : I32_MIN, max = bits == 16 ? I16_MAX : I32_MAX;
            return Target.relative(signed(text, "Jump offset", min, max, bits));
        }
        if (!NAME.matcher(text).matches()) {
            throw new LineProblem("Invalid jump target '" + text + "': expected a label or +N/-N");
        }
        return Target.label(text);
    }

    /** The second operand of lddw: a number, or one of Weir's pseudo-immediates. */
    static Imm64 imm64Operand(String text) {
        Matcher m;
        if ((m = MAP.matcher(text)).matches()) return new Imm64.Map(mapRef(m.group(1).strip()));
        if ((m = MAP_VALUE.matcher(text)).matches()) {
            int offset = m.group(2) == null ? 0 : imm32(m.group(2).replace(" ", ""));
            return new Imm64.MapValue(mapRef(m.group(1).strip()), offset);
        }
        if ((m = BTF_ID.matcher(text)).matches()) {
            return new Imm64.BtfId(imm32(m.group(1).strip()), m.group(2) == null ? 0 : imm32(m.group(2).strip()));
        }
        if ((m = SUBPROG.matcher(text)).matches()) return new Imm64.Function(target(m.group(1).strip(), 32));
        return new Imm64.Constant(imm64(text));
    }

    private static MapRef mapRef(String text) {
        if (text.startsWith("fd:")) return new MapRef.Fd(imm32(text.substring(3)));
        if (text.startsWith("idx:")) return new MapRef.Index(imm32(text.substring(4)));
        if (!NAME.matcher(text).matches()) throw new LineProblem("Invalid map name '" + text + "'");
        return new MapRef.Named(text);
    }

    private static int signed(String text, String what, BigInteger min, BigInteger max, int bits) {
        BigInteger value = integer(text, what.toLowerCase(java.util.Locale.ROOT));
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new LineProblem(what + " " + text + " out of " + bits + "-bit signed range");
        }
        return value.intValue();
    }

    private static BigInteger integer(String text, String what) {
        Matcher m = INTEGER.matcher(text);
        if (!m.matches()) throw new LineProblem("Invalid " + what + " '" + text + "'");
        BigInteger magnitude = m.group(2) != null ? new BigInteger(m.group(2), 16) : new BigInteger(m.group(3));
        return m.group(1).equals("-") ? magnitude.negate() : magnitude;
    }

    private static boolean isHex(String text) {
        return text.contains("0x") || text.contains("0X");
    }
}
