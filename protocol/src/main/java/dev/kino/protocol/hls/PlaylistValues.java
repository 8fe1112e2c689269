package dev.kino.protocol.hls;

import java.time.Duration;
import java.util.Objects;

/**
 * Checks that a value can be written into an HLS playlist as RFC 8216 §4.2 defines its attribute types: quoted-strings
 * without quotes or line breaks, URI lines, {@code FRAME-RATE} decimals, {@code CODECS} lists, protocol versions. The
 * builders and the writer call these; each message names the attribute or tag. Numeric ranges are
 * {@link dev.kino.protocol.internal.Require}'s, shared with DASH. Package-private.
 */
final class PlaylistValues {

    private PlaylistValues() {
    }

    /**
     * Checks that {@code value} can be written as an RFC 8216 §4.2 quoted-string: it cannot contain a
     * double quote, CR or LF.
     */
    static String quotedString(String what, String value) {
        Objects.requireNonNull(value, what);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\r' || c == '\n') {
                throw new IllegalArgumentException(what + " cannot be written as a quoted-string (RFC 8216 §4.2): "
                        + "it contains " + describe(c) + ": " + printable(value));
            }
        }
        return value;
    }

    /** Like {@link #quotedString} and also requires a non-empty value. */
    static String nonEmptyQuotedString(String what, String value) {
        quotedString(what, value);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    /** Checks a URI written on its own line (RFC 8216 §4.1): non-empty, no CR/LF, not starting with '#'. */
    static String uriLine(String what, String uri) {
        Objects.requireNonNull(uri, what);
        if (uri.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (uri.startsWith("#")) {
            throw new IllegalArgumentException(what + " must not start with '#' (it would be read as a tag or comment): "
                    + printable(uri));
        }
        if (!uri.equals(uri.strip())) {
            throw new IllegalArgumentException(what + " must not start or end with whitespace: " + printable(uri));
        }
        noLineBreak(what, uri);
        return uri;
    }

    /** Checks that a value written unquoted at the end of a line (e.g. an EXTINF title) has no CR or LF. */
    static String noLineBreak(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " must not contain CR or LF: " + printable(value));
        }
        return value;
    }

    static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + Formats.seconds(value) + " s");
        }
        return value;
    }

    static double frameRate(double fps) {
        if (!Double.isFinite(fps) || fps <= 0) {
            throw new IllegalArgumentException("FRAME-RATE must be positive and finite: " + fps);
        }
        double rounded = Math.round(fps * 1000) / 1000.0;
        if (rounded <= 0) {
            throw new IllegalArgumentException("FRAME-RATE rounds to 0.000: " + fps);
        }
        return rounded;
    }

    static void codecs(java.util.List<String> codecs) {
        for (String c : codecs) {
            nonEmptyQuotedString("CODECS entry", c);
            if (c.indexOf(',') >= 0 || !c.equals(c.strip())) {
                throw new IllegalArgumentException("a CODECS entry cannot contain a comma or surrounding spaces: '"
                        + c + "'");
            }
        }
    }

    static int version(int version) {
        if (version < 1 || version > Playlist.MAX_VERSION) {
            throw new IllegalArgumentException("protocol version must be between 1 and " + Playlist.MAX_VERSION
                    + ": " + version);
        }
        return version;
    }

    private static String describe(char c) {
        return c == '"' ? "a double quote" : c == '\r' ? "a carriage return" : "a line feed";
    }

    static String printable(String s) {
        return '\'' + s.replace("\r", "\\r").replace("\n", "\\n") + '\'';
    }
}
