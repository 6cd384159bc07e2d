package dev.weir.cni;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A strict RFC 8259 reader for the network configuration: exactly one JSON object, nothing after it but
 * whitespace, no name twice in one object, nesting at most {@link #MAX_DEPTH} deep. It reads iteratively (an
 * explicit stack, never recursion), so no input can overflow the thread's stack, and keeps only the
 * top-level members the plugin itself needs: the rest is checked and skipped.
 */
final class StrictJson {
    /** The agent's parser refuses deeper nesting too: the same bound on both sides of the socket. */
    static final int MAX_DEPTH = 64;

    /** The top-level object's member names, and the values of those that are strings. */
    record TopLevel(Set<String> names, Map<String, String> strings) {}

    /** What one open object or array needs: its closing bracket and, for an object, the names seen so far. */
    private record Open(char close, Set<String> names) {
        boolean isObject() {
            return close == '}';
        }
    }

    private final String text;
    private int at;

    private StrictJson(String text) {
        this.text = text;
    }

    /** Reads {@code text} as one JSON object, or throws {@link InvalidJson} saying where and why it is not. */
    static TopLevel object(String text) throws InvalidJson {
        return new StrictJson(text).document();
    }

    private TopLevel document() throws InvalidJson {
        space();
        if (at >= text.length()) throw new InvalidJson("it is empty");
        if (text.charAt(at) != '{') throw new InvalidJson("it is not a JSON object (it starts with " + describe(at) + ")");
        Set<String> names = new HashSet<>();
        Map<String, String> strings = new HashMap<>();
        var open = new ArrayDeque<Open>();
        String member = null; // the top-level member whose value comes next
        while (true) {
            // Here a value starts.
            space();
            char c = peek("a value");
            if (c == '{' || c == '[') {
                at++;
                if (open.size() == MAX_DEPTH) throw new InvalidJson("it nests deeper than " + MAX_DEPTH + " levels (at character " + at + ")");
                var container = new Open(c == '{' ? '}' : ']', c == '{' ? new HashSet<>() : null);
                open.push(container);
                space();
                if (peek(container.isObject() ? "a name or }" : "a value or ]") == container.close()) {
                    at++;
                    open.pop();
                } else {
                    if (container.isObject()) member = name(container, open.size() == 1 ? names : null);
                    continue;
                }
            } else if (c == '"') {
                String value = string();
                if (open.size() == 1 && member != null) strings.put(member, value);
            } else {
                scalar();
            }
            // Here a value has ended: close what it ends, or go on to the next element.
            while (true) {
                if (open.isEmpty()) {
                    space();
                    if (at < text.length()) throw new InvalidJson("there is text after the configuration object, at character " + at);
                    return new TopLevel(Set.copyOf(names), Map.copyOf(strings));
                }
                Open container = open.peek();
                space();
                char next = peek(", or " + container.close());
                at++;
                if (next == container.close()) {
                    open.pop();
                } else if (next == ',') {
                    if (container.isObject()) member = name(container, open.size() == 1 ? names : null);
                    else member = null;
                    break;
                } else {
                    throw new InvalidJson("expected , or " + container.close() + " at character " + (at - 1) + ", found " + describe(at - 1));
                }
            }
        }
    }

    /** A member's name and its colon; a name the object already has is refused. */
    private String name(Open object, Set<String> topLevel) throws InvalidJson {
        space();
        if (peek("a name") != '"') throw new InvalidJson("expected a name in quotes at character " + at + ", found " + describe(at));
        int start = at;
        String name = string();
        if (!object.names().add(name)) throw new InvalidJson("the name \"" + name + "\" appears twice in one object (at character " + start + ")");
        if (topLevel != null) topLevel.add(name);
        space();
        if (peek(":") != ':') throw new InvalidJson("expected : at character " + at + ", found " + describe(at));
        at++;
        return name;
    }

    private String string() throws InvalidJson {
        int start = at++;
        var out = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw new InvalidJson("the string at character " + start + " is not closed");
            char c = text.charAt(at++);
            if (c == '"') return out.toString();
            if (c < 0x20) throw new InvalidJson("a control character (U+" + hex4(c) + ") is not escaped in the string at character " + start);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) throw new InvalidJson("the string at character " + start + " is not closed");
            char escaped = text.charAt(at++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw new InvalidJson("\\" + escaped + " is not a JSON escape (at character " + (at - 2) + ")");
            }
        }
    }

    private char unicodeEscape() throws InvalidJson {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
            if (digit < 0 || text.charAt(at) > 'f') throw new InvalidJson("\\u needs four hexadecimal digits (at character " + (at - 2 - i) + ")");
            value = value * 16 + digit;
            at++;
        }
        return (char) value;
    }

    /** A number, true, false or null, by RFC 8259's grammar. */
    private void scalar() throws InvalidJson {
        for (String literal : new String[] {"true", "false", "null"}) {
            if (text.startsWith(literal, at)) {
                at += literal.length();
                return;
            }
        }
        int start = at;
        if (at < text.length() && text.charAt(at) == '-') at++;
        if (at < text.length() && text.charAt(at) == '0') at++;
        else if (digits() == 0) throw new InvalidJson("expected a value at character " + start + ", found " + describe(start));
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            if (digits() == 0) throw new InvalidJson("the number at character " + start + " has no digits after its point");
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) at++;
            if (digits() == 0) throw new InvalidJson("the number at character " + start + " has no digits in its exponent");
        }
    }

    private int digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
        return at - start;
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            at++;
        }
    }

    private char peek(String expected) throws InvalidJson {
        if (at >= text.length()) throw new InvalidJson("it ends where " + expected + " was expected");
        return text.charAt(at);
    }

    private String describe(int index) {
        if (index >= text.length()) return "the end";
        char c = text.charAt(index);
        return c < 0x20 || c > 0x7e ? "U+" + hex4(c) : "'" + c + "'";
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    /** Why the text is not one strict JSON object; its message is one line, for the CNI error's details. */
    static final class InvalidJson extends Exception {
        InvalidJson(String message) {
            super(message, null, false, false);
        }
    }
}
