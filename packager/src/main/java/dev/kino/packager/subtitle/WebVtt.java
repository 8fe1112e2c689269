package dev.kino.packager.subtitle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WebVTT text (W3C WebVTT: Web Video Text Tracks Format, §4 file structure): timestamps, cue text escaping, and
 * conversion of ASS dialogue text (the form FFmpeg's text subtitle decoders give) to plain cue text.
 */
public final class WebVtt {
    private static final Pattern TIMING = Pattern.compile(
            "^((?:\\d{2,}:)?\\d{2}:\\d{2}\\.\\d{3})[ \\t]+-->[ \\t]+((?:\\d{2,}:)?\\d{2}:\\d{2}\\.\\d{3})(?:[ \\t].*)?$");

    private WebVtt() {
    }

    /**
     * A cue as read back from a file.
     *
     * @param startMs start, milliseconds
     * @param endMs end, milliseconds
     * @param payload the cue text lines joined with {@code \n}, unescaped as written
     */
    public record ParsedCue(long startMs, long endMs, String payload) {
    }

    /**
     * Reads the cues of a WebVTT file (the subset this packager writes and common files use: optional cue
     * identifiers, timing lines with optional settings, payload up to a blank line; NOTE, STYLE and REGION
     * blocks skipped).
     *
     * @param text the file's text
     * @return the cues in file order
     * @throws IllegalArgumentException when the file does not start with {@code WEBVTT} or a timestamp is malformed
     */
    public static List<ParsedCue> parse(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = t.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        if (lines.length == 0 || !(lines[0].equals("WEBVTT") || lines[0].startsWith("WEBVTT ")
                || lines[0].startsWith("WEBVTT\t"))) {
            throw new IllegalArgumentException("not a WebVTT file (no WEBVTT signature)");
        }
        List<ParsedCue> cues = new ArrayList<>();
        int i = 1;
        while (i < lines.length) {
            Matcher m = TIMING.matcher(lines[i]);
            if (!m.matches() && i + 1 < lines.length && !lines[i].isEmpty() && !lines[i].contains("-->")) {
                Matcher next = TIMING.matcher(lines[i + 1]);
                if (next.matches() && (i == 1 || lines[i - 1].isEmpty())) {
                    i++;
                    m = next;
                }
            }
            if (m.matches()) {
                long start = parseTimestamp(m.group(1));
                long end = parseTimestamp(m.group(2));
                StringBuilder payload = new StringBuilder();
                i++;
                while (i < lines.length && !lines[i].isEmpty()) {
                    if (!payload.isEmpty()) {
                        payload.append('\n');
                    }
                    payload.append(lines[i++]);
                }
                cues.add(new ParsedCue(start, end, payload.toString()));
            }
            i++;
        }
        return cues;
    }

    /**
     * @param ts a WebVTT timestamp {@code [hh:]mm:ss.ttt}
     * @return milliseconds
     * @throws IllegalArgumentException when malformed
     */
    public static long parseTimestamp(String ts) {
        String[] p = ts.split(":");
        try {
            if (p.length < 2 || p.length > 3) {
                throw new NumberFormatException(ts);
            }
            long h = p.length == 3 ? Long.parseLong(p[0]) : 0;
            long m = Long.parseLong(p[p.length - 2]);
            String[] sm = p[p.length - 1].split("\\.");
            if (sm.length != 2 || sm[1].length() != 3 || m > 59) {
                throw new NumberFormatException(ts);
            }
            long s = Long.parseLong(sm[0]);
            if (s > 59) {
                throw new NumberFormatException(ts);
            }
            return ((h * 60 + m) * 60 + s) * 1000 + Long.parseLong(sm[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad WebVTT timestamp " + ts, e);
        }
    }

    /**
     * @param ms milliseconds, ≥ 0
     * @return a WebVTT timestamp {@code hh:mm:ss.ttt} (hours at least two digits, W3C WebVTT §4.2)
     */
    public static String timestamp(long ms) {
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long s = ms / 1000 % 60;
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", h, m, s, ms % 1000);
    }

    /**
     * Plain text of an ASS {@code Dialogue} text field: override blocks {@code {...}} removed ({@code {\i1}},
     * {@code {\pos(10,20)}}, …), {@code \N} and {@code \n} to line breaks, {@code \h} to a space; drawing-mode
     * text ({@code {\p1}} … {@code {\p0}}) dropped.
     *
     * @param ass the text field
     * @return the text, trimmed, lines trimmed, empty lines removed
     */
    public static String assToText(String ass) {
        StringBuilder out = new StringBuilder();
        boolean drawing = false;
        int i = 0;
        while (i < ass.length()) {
            char c = ass.charAt(i);
            if (c == '{') {
                int close = ass.indexOf('}', i);
                if (close < 0) {
                    break;
                }
                String block = ass.substring(i, close);
                int p = block.lastIndexOf("\\p");
                if (p >= 0 && p + 2 < block.length() && Character.isDigit(block.charAt(p + 2))) {
                    drawing = block.charAt(p + 2) != '0';
                }
                i = close + 1;
            } else if (c == '\\' && i + 1 < ass.length() && "Nnh".indexOf(ass.charAt(i + 1)) >= 0) {
                if (!drawing) {
                    out.append(ass.charAt(i + 1) == 'h' ? ' ' : '\n');
                }
                i += 2;
            } else {
                if (!drawing) {
                    out.append(c);
                }
                i++;
            }
        }
        StringBuilder clean = new StringBuilder();
        for (String line : out.toString().replace("\r", "").split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                if (!clean.isEmpty()) {
                    clean.append('\n');
                }
                clean.append(t);
            }
        }
        return clean.toString();
    }

    /**
     * @param text plain cue text
     * @return the text with {@code &}, {@code <} and {@code >} escaped as character references, and any
     *         {@code -->} broken (W3C WebVTT §4.2.2 cue text may not contain it)
     */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * A complete WebVTT file.
     *
     * @param cues the cues, in start order
     * @param mpegTs the {@code X-TIMESTAMP-MAP} MPEGTS value (90 kHz) mapped to local time 0 (RFC 8216 §3.5), or a
     *               negative value to write no {@code X-TIMESTAMP-MAP}
     * @return the file's text, {@code \n} line ends
     */
    public static String file(List<SubtitleCue> cues, long mpegTs) {
        StringBuilder b = new StringBuilder("WEBVTT\n");
        if (mpegTs >= 0) {
            b.append("X-TIMESTAMP-MAP=MPEGTS:").append(mpegTs).append(",LOCAL:00:00:00.000\n");
        }
        b.append('\n');
        int n = 1;
        for (SubtitleCue c : cues) {
            b.append(n++).append('\n').append(timestamp(c.startMs())).append(" --> ").append(timestamp(c.endMs()))
                    .append('\n').append(escape(c.text())).append("\n\n");
        }
        return b.toString();
    }
}
