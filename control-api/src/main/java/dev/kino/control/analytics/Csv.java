package dev.kino.control.analytics;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tables as CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line
 * break. Cells that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) get a leading
 * apostrophe (OWASP "CSV injection"); numbers are written bare, so negative changes stay numbers.
 */
final class Csv {
    /** The media type of the answer, with the header row declared (RFC 4180 §3). */
    static final String MEDIA_TYPE = "text/csv; charset=utf-8; header=present";

    private final StringBuilder out = new StringBuilder();

    Csv(String... header) {
        row((Object[]) header);
    }

    Csv row(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells[i]));
        }
        out.append("\r\n");
        return this;
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        String s = v.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** @return whether the client asked for CSV ({@code Accept: text/csv}, ahead of JSON when both are named) */
    static boolean wanted(String accept) {
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(java.util.Locale.ROOT);
        int csv = a.indexOf("text/csv");
        int json = a.indexOf("application/json");
        return csv >= 0 && (json < 0 || csv < json);
    }

    static String names(List<String> tables) {
        return String.join(", ", tables);
    }
}
