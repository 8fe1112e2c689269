package dev.kino.protocol.dash;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Writes an {@link Mpd} as MPD XML (ISO/IEC 23009-1 §5.3, schema {@value Mpd#NAMESPACE}).
 *
 * <p>Output is deterministic, so it can be compared byte for byte: UTF-8, an XML declaration, two-space indent,
 * {@code \n} line ends and a final newline, attributes in a fixed order, child elements in schema order
 * (ContentProtection, Label, Role, BaseURL, SegmentTemplate, Representation in an AdaptationSet;
 * AudioChannelConfiguration, BaseURL, SegmentTemplate in a Representation). The root declares the default namespace
 * and {@code xmlns:cenc}; {@code xmlns:dashif} and {@code xmlns:clearkey} only when a licence URL is written.
 * Attribute values and text are escaped ({@code & < > "} and, in attributes, tab/CR/LF as character references).
 * Pure function, no I/O; thread-safe.
 */
public final class MpdWriter {

    private static final String INDENT = "  ";

    private MpdWriter() {
    }

    /**
     * @param mpd the presentation
     * @return the MPD document text
     */
    public static String write(Mpd mpd) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<MPD");
        attr(b, "xmlns", Mpd.NAMESPACE);
        attr(b, "xmlns:cenc", ContentProtection.CENC_NAMESPACE);
        if (hasLicenceUrl(mpd)) {
            attr(b, "xmlns:dashif", ContentProtection.DASHIF_NAMESPACE);
            attr(b, "xmlns:clearkey", ContentProtection.CLEARKEY_NAMESPACE);
        }
        attr(b, "profiles", String.join(",", mpd.profiles()));
        attr(b, "type", "static");
        attr(b, "mediaPresentationDuration", XsDuration.format(mpd.mediaPresentationDuration()));
        attr(b, "minBufferTime", XsDuration.format(mpd.minBufferTime()));
        b.append(">\n");
        if (mpd.baseUrl() != null) {
            textElement(b, 1, "BaseURL", mpd.baseUrl());
        }
        for (Period p : mpd.periods()) {
            period(b, p);
        }
        b.append("</MPD>\n");
        return b.toString();
    }

    /**
     * @param mpd the presentation
     * @return {@link #write(Mpd)} as UTF-8 bytes (serve as {@code application/dash+xml})
     */
    public static byte[] writeBytes(Mpd mpd) {
        return write(mpd).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean hasLicenceUrl(Mpd mpd) {
        return mpd.periods().stream().flatMap(p -> p.adaptationSets().stream())
                .flatMap(a -> a.contentProtections().stream()).anyMatch(c -> c.licenceUrl() != null);
    }

    private static void period(StringBuilder b, Period p) {
        indent(b, 1).append("<Period");
        attr(b, "id", p.id());
        attr(b, "start", XsDuration.format(p.start()));
        if (p.duration() != null) {
            attr(b, "duration", XsDuration.format(p.duration()));
        }
        b.append(">\n");
        if (p.baseUrl() != null) {
            textElement(b, 2, "BaseURL", p.baseUrl());
        }
        for (AdaptationSet as : p.adaptationSets()) {
            adaptationSet(b, as);
        }
        indent(b, 1).append("</Period>\n");
    }

    private static void adaptationSet(StringBuilder b, AdaptationSet as) {
        indent(b, 2).append("<AdaptationSet");
        if (as.id() != null) {
            attr(b, "id", as.id().toString());
        }
        attr(b, "contentType", as.contentType().value());
        attr(b, "mimeType", as.mimeType());
        if (as.lang() != null) {
            attr(b, "lang", as.lang());
        }
        if (as.segmentAlignment()) {
            attr(b, "segmentAlignment", "true");
        }
        if (as.startWithSap() != null) {
            attr(b, "startWithSAP", as.startWithSap().toString());
        }
        if (as.maxWidth() != null) {
            attr(b, "maxWidth", as.maxWidth().toString());
        }
        if (as.maxHeight() != null) {
            attr(b, "maxHeight", as.maxHeight().toString());
        }
        if (as.par() != null) {
            attr(b, "par", as.par());
        }
        b.append(">\n");
        for (ContentProtection cp : as.contentProtections()) {
            contentProtection(b, 3, cp);
        }
        if (as.label() != null) {
            textElement(b, 3, "Label", as.label());
        }
        for (Role r : as.roles()) {
            indent(b, 3).append("<Role");
            attr(b, "schemeIdUri", Role.SCHEME_ID_URI);
            attr(b, "value", r.value());
            b.append("/>\n");
        }
        if (as.segmentTemplate() != null) {
            segmentTemplate(b, 3, as.segmentTemplate());
        }
        for (Representation r : as.representations()) {
            representation(b, r);
        }
        indent(b, 2).append("</AdaptationSet>\n");
    }

    /**
     * One {@code ContentProtection} element exactly as {@link #write(Mpd)} writes it, for a server that adds a
     * per-viewer descriptor (e.g. {@link ContentProtection#clearKey} with a tokenised licence URL) to a stored MPD.
     * The element uses the prefixes {@code cenc}, {@code dashif} and {@code clearkey}: the caller must make sure
     * they are bound to {@value ContentProtection#CENC_NAMESPACE}, {@value ContentProtection#DASHIF_NAMESPACE} and
     * {@value ContentProtection#CLEARKEY_NAMESPACE} where the element goes.
     *
     * @param cp the descriptor
     * @param level indentation of the element, in steps of two spaces (3 inside an AdaptationSet of {@link #write})
     * @return the element, every line indented and ending in {@code \n}
     * @throws IllegalArgumentException if {@code level} is negative
     */
    public static String writeContentProtection(ContentProtection cp, int level) {
        if (level < 0) {
            throw new IllegalArgumentException("level must not be negative");
        }
        StringBuilder b = new StringBuilder(256);
        contentProtection(b, level, Objects.requireNonNull(cp, "cp"));
        return b.toString();
    }

    private static void contentProtection(StringBuilder b, int level, ContentProtection cp) {
        indent(b, level).append("<ContentProtection");
        attr(b, "schemeIdUri", cp.schemeIdUri());
        if (cp.value() != null) {
            attr(b, "value", cp.value());
        }
        if (cp.defaultKid() != null) {
            attr(b, "cenc:default_KID", cp.defaultKid().toString());
        }
        if (cp.psshBase64() == null && cp.licenceUrl() == null) {
            b.append("/>\n");
            return;
        }
        b.append(">\n");
        if (cp.psshBase64() != null) {
            textElement(b, level + 1, "cenc:pssh", cp.psshBase64());
        }
        if (cp.licenceUrl() != null) {
            textElement(b, level + 1, "dashif:Laurl", cp.licenceUrl());
            indent(b, level + 1).append("<clearkey:Laurl");
            attr(b, "Lic_type", "EME-1.0");
            b.append('>');
            text(b, cp.licenceUrl());
            b.append("</clearkey:Laurl>\n");
        }
        indent(b, level).append("</ContentProtection>\n");
    }

    private static void segmentTemplate(StringBuilder b, int level, SegmentTemplate t) {
        indent(b, level).append("<SegmentTemplate");
        attr(b, "timescale", Long.toString(t.timescale()));
        if (t.initialization() != null) {
            attr(b, "initialization", t.initialization());
        }
        attr(b, "media", t.media());
        if (t.startNumber() != null) {
            attr(b, "startNumber", t.startNumber().toString());
        }
        if (t.presentationTimeOffset() != 0) {
            attr(b, "presentationTimeOffset", Long.toString(t.presentationTimeOffset()));
        }
        if (t.duration() != null) {
            attr(b, "duration", t.duration().toString());
        }
        if (t.timeline() == null) {
            b.append("/>\n");
            return;
        }
        b.append(">\n");
        indent(b, level + 1).append("<SegmentTimeline>\n");
        List<SegmentTimeline.Entry> entries = t.timeline().entries();
        for (SegmentTimeline.Entry e : entries) {
            indent(b, level + 2).append("<S");
            if (e.t() != null) {
                attr(b, "t", e.t().toString());
            }
            attr(b, "d", Long.toString(e.d()));
            if (e.r() != 0) {
                attr(b, "r", Integer.toString(e.r()));
            }
            b.append("/>\n");
        }
        indent(b, level + 1).append("</SegmentTimeline>\n");
        indent(b, level).append("</SegmentTemplate>\n");
    }

    private static void representation(StringBuilder b, Representation r) {
        indent(b, 3).append("<Representation");
        attr(b, "id", r.id());
        if (r.mimeType() != null) {
            attr(b, "mimeType", r.mimeType());
        }
        attr(b, "bandwidth", Long.toString(r.bandwidth()));
        if (r.codecs() != null) {
            attr(b, "codecs", r.codecs());
        }
        if (r.width() != null) {
            attr(b, "width", r.width().toString());
            attr(b, "height", r.height().toString());
        }
        if (r.frameRate() != null) {
            attr(b, "frameRate", r.frameRate().toString());
        }
        if (r.sar() != null) {
            attr(b, "sar", r.sar());
        }
        if (r.audioSamplingRate() != null) {
            attr(b, "audioSamplingRate", r.audioSamplingRate().toString());
        }
        boolean children = r.audioChannels() != null || r.baseUrl() != null || r.segmentTemplate() != null;
        if (!children) {
            b.append("/>\n");
            return;
        }
        b.append(">\n");
        if (r.audioChannels() != null) {
            indent(b, 4).append("<AudioChannelConfiguration");
            attr(b, "schemeIdUri", Representation.AUDIO_CHANNEL_SCHEME);
            attr(b, "value", r.audioChannels().toString());
            b.append("/>\n");
        }
        if (r.baseUrl() != null) {
            textElement(b, 4, "BaseURL", r.baseUrl());
        }
        if (r.segmentTemplate() != null) {
            segmentTemplate(b, 4, r.segmentTemplate());
        }
        indent(b, 3).append("</Representation>\n");
    }

    private static StringBuilder indent(StringBuilder b, int level) {
        for (int i = 0; i < level; i++) {
            b.append(INDENT);
        }
        return b;
    }

    private static void textElement(StringBuilder b, int level, String name, String value) {
        indent(b, level).append('<').append(name).append('>');
        text(b, value);
        b.append("</").append(name).append(">\n");
    }

    private static void attr(StringBuilder b, String name, String value) {
        b.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\t' -> b.append("&#9;");
                case '\n' -> b.append("&#10;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
        b.append('"');
    }

    private static void text(StringBuilder b, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
    }
}
