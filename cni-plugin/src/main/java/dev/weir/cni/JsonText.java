package dev.weir.cni;

/**
 * The little JSON the plugin needs without a library: quoting strings, and reading one top-level string
 * field of the network configuration (a full scan that skips every other value, so nested fields and
 * strings containing the key do not confuse it).
 */
final class JsonText {
    private final String text;
    private int at;

    private JsonText(String text) {
        this.text = text;
    }

    static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }

    /** The value of {@code key} in the top-level object of {@code json} when it is a string, else null. */
    static String topLevelString(String json, String key) {
        var reader = new JsonText(json);
        reader.space();
        reader.expect('{');
        reader.space();
        if (reader.peek() == '}') return null;
        String found = null;
        while (true) {
            reader.space();
            String name = reader.string();
            reader.space();
            reader.expect(':');
            reader.space();
            if (name.equals(key) && reader.peek() == '"') found = reader.string();
            else reader.skipValue();
            reader.space();
            char next = reader.next();
            if (next == '}') return found;
            if (next != ',') throw new IllegalArgumentException("expected , or } at " + (reader.at - 1));
        }
    }

    private void skipValue() {
        char c = peek();
        switch (c) {
            case '"' -> string();
            case '{', '[' -> {
                char close = c == '{' ? '}' : ']';
                next();
                space();
                if (peek() == close) {
                    next();
                    return;
                }
                while (true) {
                    space();
                    if (close == '}') {
                        string();
                        space();
                        expect(':');
                        space();
                    }
                    skipValue();
                    space();
                    char after = next();
                    if (after == close) return;
                    if (after != ',') throw new IllegalArgumentException("expected , or " + close + " at " + (at - 1));
                }
            }
            default -> {
                int start = at;
                while (at < text.length() && "{}[],: \t\r\n".indexOf(text.charAt(at)) < 0) at++;
                String literal = text.substring(start, at);
                if (!(literal.equals("true") || literal.equals("false") || literal.equals("null") || literal.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?"))) {
                    throw new IllegalArgumentException("unexpected \"" + literal + "\" at " + start);
                }
            }
        }
    }

    private String string() {
        expect('"');
        var out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return out.toString();
            if (c == '\\') {
                char escaped = next();
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (at + 4 > text.length()) throw new IllegalArgumentException("truncated \\u escape");
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(escaped);
                }
            } else {
                out.append(c);
            }
        }
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private char peek() {
        if (at >= text.length()) throw new IllegalArgumentException("unexpected end");
        return text.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
    }
}
