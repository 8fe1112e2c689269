package dev.kino.app.ops;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a Grafana dashboard queries: every PromQL expression of its panels (rows' panels included) and the
 * Prometheus queries of its template variables ({@code label_values(metric, label)}, {@code query_result(expr)}).
 * A name is an identifier of the expression that is not a function or aggregation (followed by a parenthesis), not a
 * keyword, not inside a label matcher, range, string or grouping clause, and not a Grafana variable.
 */
final class PromQlNames {
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlNames() {
    }

    /** @return the metric names one PromQL expression selects */
    static Set<String> of(String promql) {
        String s = promql;
        s = s.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");                  // strings (label values may look like names)
        s = s.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''");
        s = s.replaceAll("`[^`]*`", "``");
        s = s.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");                          // Grafana variables
        s = s.replaceAll("\\{[^}]*}", " ");                                    // label matchers
        s = s.replaceAll("\\[[^\\]]*]", " ");                                  // ranges and subqueries
        s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
        s = s.replaceAll("\\boffset\\s+-?\\w+", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int before = m.start() - 1;
            if (before >= 0 && (Character.isLetterOrDigit(s.charAt(before)) || s.charAt(before) == '.')) {
                continue; // the exponent or unit of a number: 1e3, 0.5
            }
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            if ((after < s.length() && s.charAt(after) == '(') || KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            names.add(id);
        }
        return names;
    }

    /** @return the metric names a template variable's query selects (Grafana's Prometheus query syntax) */
    static Set<String> ofVariable(String query) {
        String q = query.strip();
        Matcher lv = Pattern.compile("^label_values\\((.*)\\)$", Pattern.DOTALL).matcher(q);
        if (lv.matches()) {
            String args = lv.group(1);
            int comma = lastTopLevelComma(args);
            return comma < 0 ? Set.of() : of(args.substring(0, comma)); // label_values(label) alone selects no metric
        }
        Matcher qr = Pattern.compile("^query_result\\((.*)\\)$", Pattern.DOTALL).matcher(q);
        if (qr.matches()) {
            return of(qr.group(1));
        }
        return Set.of(); // label_names(), metrics(regex): no fixed name
    }

    private static int lastTopLevelComma(String s) {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                last = i;
            }
        }
        return last;
    }

    /** One query of a dashboard: where it is and what it selects. */
    record Query(String where, String text, Set<String> metrics) {
    }

    /** @return every query of a dashboard, panels (and rows' panels) first, then template variables */
    static List<Query> queries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        panels(dashboard.path("panels"), out);
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!v.path("type").asText().equals("query")) {
                continue;
            }
            JsonNode q = v.path("query");
            String text = q.isObject() ? q.path("query").asText() : q.asText();
            out.add(new Query("variable " + v.path("name").asText(), text, ofVariable(text)));
        }
        return out;
    }

    private static void panels(JsonNode panels, List<Query> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    String expr = t.get("expr").asText();
                    out.add(new Query("panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(), expr,
                            of(expr)));
                }
            }
            panels(p.path("panels"), out); // a collapsed row holds its panels
        }
    }
}
