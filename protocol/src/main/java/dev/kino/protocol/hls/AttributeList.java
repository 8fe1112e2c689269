package dev.kino.protocol.hls;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed RFC 8216 §4.2 attribute-list of one tag, with typed accessors that check each value's syntax and
 * report errors with the tag's line number. Package-private, used by {@link PlaylistParser}.
 */
final class AttributeList {

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[0-9]{1,20}");
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
    private static final Pattern RESOLUTION = Pattern.compile("([0-9]{1,9})x([0-9]{1,9})");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9A-Fa-f]+");

    private record Value(String text, boolean quoted) {
    }

    private final String tag;
    private final int line;
    private final Map<String, Value> values;

    private AttributeList(String tag, int line, Map<String, Value> values) {
        this.tag = tag;
        this.line = line;
        this.values = values;
    }

    /** Parses {@code NAME=VALUE(,NAME=VALUE)*}. */
    static AttributeList parse(String tag, String text, int line) throws PlaylistParseException {
        Map<String, Value> values = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        if (n == 0) {
            throw new PlaylistParseException(line, tag + " has an empty attribute list");
        }
        while (true) {
            int nameStart = i;
            while (i < n && isNameChar(text.charAt(i))) {
                i++;
            }
            String name = text.substring(nameStart, i);
            if (name.isEmpty()) {
                throw new PlaylistParseException(line, tag + " attribute list: expected an attribute name [A-Z0-9-] "
                        + "at column " + (nameStart + 1) + " of '" + text + "'");
            }
            if (i >= n || text.charAt(i) != '=') {
                throw new PlaylistParseException(line, tag + " attribute list: expected '=' after " + name
                        + " in '" + text + "'");
            }
            i++;
            Value value;
            if (i < n && text.charAt(i) == '"') {
                int close = text.indexOf('"', i + 1);
                if (close < 0) {
                    throw new PlaylistParseException(line, tag + " attribute " + name
                            + ": unterminated quoted-string in '" + text + "'");
                }
                value = new Value(text.substring(i + 1, close), true);
                i = close + 1;
            } else {
                int start = i;
                while (i < n && text.charAt(i) != ',') {
                    if (text.charAt(i) == '"') {
                        throw new PlaylistParseException(line, tag + " attribute " + name
                                + ": unexpected '\"' inside an unquoted value in '" + text + "'");
                    }
                    i++;
                }
                if (i == start) {
                    throw new PlaylistParseException(line, tag + " attribute " + name + " has an empty value");
                }
                value = new Value(text.substring(start, i), false);
            }
            if (values.put(name, value) != null) {
                throw new PlaylistParseException(line, tag + " attribute " + name
                        + " appears more than once (RFC 8216 §4.2)");
            }
            if (i == n) {
                return new AttributeList(tag, line, values);
            }
            if (text.charAt(i) != ',') {
                throw new PlaylistParseException(line, tag + " attribute list: expected ',' after the value of " + name
                        + " in '" + text + "'");
            }
            i++;
            if (i == n) {
                throw new PlaylistParseException(line, tag + " attribute list ends with a ',' in '" + text + "'");
            }
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    PlaylistParseException error(String reason) {
        return new PlaylistParseException(line, tag + " " + reason);
    }

    private Value require(String name) throws PlaylistParseException {
        Value v = values.get(name);
        if (v == null) {
            throw error("lacks required attribute " + name);
        }
        return v;
    }

    /** A quoted-string attribute, or null if absent. */
    String quoted(String name) throws PlaylistParseException {
        Value v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!v.quoted()) {
            throw error("attribute " + name + " must be a quoted-string, got " + v.text());
        }
        return v.text();
    }

    String requireQuoted(String name) throws PlaylistParseException {
        require(name);
        return quoted(name);
    }

    /** An enumerated-string (or other unquoted) attribute, or null if absent. */
    String unquoted(String name) throws PlaylistParseException {
        Value v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v.quoted()) {
            throw error("attribute " + name + " must not be quoted, got \"" + v.text() + '"');
        }
        return v.text();
    }

    String requireUnquoted(String name) throws PlaylistParseException {
        require(name);
        return unquoted(name);
    }

    /** YES / NO, or {@code absent} when the attribute is missing. */
    boolean yesNo(String name, boolean absent) throws PlaylistParseException {
        String v = unquoted(name);
        if (v == null) {
            return absent;
        }
        return switch (v) {
            case "YES" -> true;
            case "NO" -> false;
            default -> throw error("attribute " + name + " has unknown value " + v + " (expected YES or NO)");
        };
    }

    /** A decimal-integer, or -1 if absent. */
    long decimalInteger(String name) throws PlaylistParseException {
        String v = unquoted(name);
        if (v == null) {
            return -1;
        }
        return decimalInteger(name, v);
    }

    long requireDecimalInteger(String name) throws PlaylistParseException {
        require(name);
        return decimalInteger(name);
    }

    private long decimalInteger(String name, String v) throws PlaylistParseException {
        if (!DECIMAL_INTEGER.matcher(v).matches()) {
            throw error("attribute " + name + " must be a decimal-integer, got " + v);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw error("attribute " + name + " is too large: " + v);
        }
    }

    /** A decimal-floating-point, or NaN if absent. */
    double decimalFloat(String name) throws PlaylistParseException {
        String v = unquoted(name);
        if (v == null) {
            return Double.NaN;
        }
        if (!DECIMAL_FLOAT.matcher(v).matches()) {
            throw error("attribute " + name + " must be a decimal-floating-point, got " + v);
        }
        return Double.parseDouble(v);
    }

    Resolution resolution(String name) throws PlaylistParseException {
        String v = unquoted(name);
        if (v == null) {
            return null;
        }
        var m = RESOLUTION.matcher(v);
        if (!m.matches()) {
            throw error("attribute " + name + " must be a decimal-resolution <width>x<height>, got " + v);
        }
        try {
            return new Resolution(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
            throw error("attribute " + name + ": " + e.getMessage());
        }
    }

    byte[] hexadecimal(String name) throws PlaylistParseException {
        String v = unquoted(name);
        if (v == null) {
            return null;
        }
        if (!HEX.matcher(v).matches() || v.length() % 2 != 0) {
            throw error("attribute " + name + " must be a hexadecimal-sequence 0x followed by an even number of "
                    + "hex digits, got " + v);
        }
        return HexFormat.of().parseHex(v.substring(2));
    }
}
