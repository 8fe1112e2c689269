package dev.kino.media.file;

import dev.kino.protocol.token.MediaPaths;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-viewer licence URL of a protected MPD, by plain substitution. The packager writes the DASH-IF ClearKey
 * {@code ContentProtection} of a CENC title with the licence URL relative to the MPD,
 * {@value MediaPaths#CLEARKEY_LICENCE}, in {@code dashif:Laurl} and {@code clearkey:Laurl}:
 *
 * <pre>
 * &lt;dashif:Laurl&gt;license/clearkey&lt;/dashif:Laurl&gt;
 * </pre>
 *
 * The token is in the MPD's own path ({@code /v/{token}/{title}/manifest.mpd}), so resolved against the MPD URL
 * that is this viewer's licence URL. But Shaka Player and dash.js send the licence request to the text as it is,
 * which a browser resolves against the page, not the MPD; so the server replaces every element text that is
 * exactly the placeholder with the absolute URL ({@code media.publicUrl} + path), XML-escaped. Nothing is parsed:
 * the packager's output verification checked the document when it was written.
 *
 * <p>Immutable and thread-safe; built once per file version ({@link MediaFiles#licenceUrlMpdBlocking}).
 */
public final class MpdLicenceUrl {
    /** What is replaced: the placeholder as the whole text of an element. */
    static final byte[] MARKER = (">" + MediaPaths.CLEARKEY_LICENCE + "</").getBytes(StandardCharsets.US_ASCII);
    /** An MPD without the placeholder: served as it is. */
    static final MpdLicenceUrl UNCHANGED = new MpdLicenceUrl(List.of());

    /** The file cut at each placeholder (the markers' {@code >} and {@code </} kept), or empty when none. */
    private final List<byte[]> parts;

    private MpdLicenceUrl(List<byte[]> parts) {
        this.parts = parts;
    }

    /**
     * @param mpd the file's bytes (UTF-8)
     * @return the plan; {@link #changes()} false when the placeholder does not occur
     */
    public static MpdLicenceUrl of(byte[] mpd) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int i = indexOf(mpd, 0); i >= 0; i = indexOf(mpd, from)) {
            parts.add(java.util.Arrays.copyOfRange(mpd, from, i + 1)); // up to and with '>'
            from = i + MARKER.length - 2; // from "</"
        }
        if (parts.isEmpty()) {
            return UNCHANGED;
        }
        parts.add(java.util.Arrays.copyOfRange(mpd, from, mpd.length));
        return new MpdLicenceUrl(List.copyOf(parts));
    }

    private static int indexOf(byte[] b, int from) {
        outer:
        for (int i = from; i <= b.length - MARKER.length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (b[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** @return true when the MPD holds the placeholder; false means: serve the file as it is */
    public boolean changes() {
        return !parts.isEmpty();
    }

    /**
     * @param licenceUrl this viewer's absolute ClearKey licence URL
     * @return the MPD with every placeholder replaced by the URL (XML-escaped), UTF-8
     * @throws IllegalStateException when there is nothing to replace
     */
    public byte[] render(String licenceUrl) {
        if (!changes()) {
            throw new IllegalStateException("the MPD has no licence URL placeholder");
        }
        byte[] url = escape(licenceUrl).getBytes(StandardCharsets.UTF_8);
        int size = url.length * (parts.size() - 1);
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                System.arraycopy(url, 0, out, at, url.length);
                at += url.length;
            }
            byte[] p = parts.get(i);
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** XML character data (XML 1.0 §2.4): {@code &} and {@code <} must be escaped, {@code >} is for safety. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> {
                    if (c < 0x20) {
                        throw new IllegalArgumentException("a licence URL has no control characters");
                    }
                    b.append(c);
                }
            }
        }
        return b.toString();
    }
}
