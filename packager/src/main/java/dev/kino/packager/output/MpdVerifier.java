package dev.kino.packager.output;

import dev.kino.packager.PackagingException;
import dev.kino.packager.crypto.Mp4Boxes;
import dev.kino.protocol.dash.ContentProtection;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.dash.Mpd;
import dev.kino.protocol.dash.Pssh;
import dev.kino.protocol.dash.XsDuration;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a title's DASH MPD ({@code manifest.mpd}, ISO/IEC 23009-1) against what the packager wrote, before the
 * title is published: players and the media server then take the file as it is, and never parse it for safety.
 *
 * <p>The file is read as strict UTF-8 and parsed by the JDK's namespace-aware DOM parser with DTDs refused and
 * every external entity, schema and XInclude off (no XXE, no entity expansion), then:
 * <ul>
 *   <li>the root is {@code MPD} in the namespace {@value Mpd#NAMESPACE}, {@code type="static"}, with profiles,
 *       and a {@code mediaPresentationDuration} equal to the title's duration (within 50 ms); one Period; no
 *       absolute {@code BaseURL} (everything resolves against the MPD's own URL, so against the title's folder);</li>
 *   <li>the Representations are exactly the renditions written, ids unique: each video rendition with its rung's
 *       width and height, each audio and subtitle rendition; every one has a positive bandwidth;</li>
 *   <li>every segment a Representation's {@code SegmentTemplate} addresses exists in the folder and is not empty
 *       (initialization, and the media segments its {@code SegmentTimeline} counts, {@code $RepresentationID$},
 *       {@code $Number$}, {@code $Number%0Nd$}, {@code $Time$} and {@code $Bandwidth$} expanded), as many as the
 *       rendition has, and the timeline lasts the title's duration within one segment; a Representation without a
 *       template (WebVTT) names an existing file in its {@code BaseURL};</li>
 *   <li>protection is what the title has: a clear title has no {@code ContentProtection}; a {@code cenc} title's
 *       video and audio AdaptationSets each have the {@code urn:mpeg:dash:mp4protection:2011} descriptor with
 *       {@code value="cenc"}, every {@code cenc:default_KID} is the key's id, every {@code cenc:pssh} is a
 *       {@code pssh} box of the descriptor's own system (and lists the key's id when version 1), a DASH-IF
 *       ClearKey licence URL ({@code dashif:Laurl}, and {@code clearkey:Laurl} if present, equal) is a relative
 *       reference or an http(s) URL; and each Representation's initialization segment declares that same key
 *       ({@code tenc} default_KID, protected, scheme {@code cenc}), while a clear title's declares none.</li>
 * </ul>
 * Each failure is a {@link PackagingException} naming the title, the file and the problem. Stateless.
 */
final class MpdVerifier {
    private static final String CENC_NS = ContentProtection.CENC_NAMESPACE;
    private static final String DASHIF_NS = ContentProtection.DASHIF_NAMESPACE;
    private static final String CLEARKEY_NS = ContentProtection.CLEARKEY_NAMESPACE;
    private static final Pattern IDENTIFIER = Pattern.compile("\\$(RepresentationID|Number|Time|Bandwidth)(%0(\\d+)d)?\\$");

    private MpdVerifier() {
    }

    /**
     * @param dir the written title folder
     * @param t what was written
     * @throws PackagingException naming the first problem found
     */
    static void verify(Path dir, TitleTracks t) {
        String what = t.titleId() + ": " + TitleWriter.MPD;
        Element root = parse(dir.resolve(TitleWriter.MPD), what).getDocumentElement();
        if (!"MPD".equals(root.getLocalName()) || !Mpd.NAMESPACE.equals(root.getNamespaceURI())) {
            throw new PackagingException(what + ": the root is {" + root.getNamespaceURI() + "}"
                    + root.getLocalName() + ", not {" + Mpd.NAMESPACE + "}MPD");
        }
        if (!"static".equals(root.getAttribute("type"))) {
            throw new PackagingException(what + ": type is '" + root.getAttribute("type") + "', not 'static'");
        }
        if (root.getAttribute("profiles").isBlank()) {
            throw new PackagingException(what + ": no profiles");
        }
        double seconds = duration(root, "mediaPresentationDuration", what);
        if (Math.abs(seconds - t.durationSeconds()) > 0.05) {
            throw new PackagingException(what + ": mediaPresentationDuration is " + seconds + " s, the title lasts "
                    + t.durationSeconds() + " s");
        }
        checkBaseUrls(root, what);
        List<Element> periods = children(root, "Period");
        if (periods.size() != 1) {
            throw new PackagingException(what + ": " + periods.size() + " Periods, expected 1");
        }

        Map<String, Expected> expected = expected(t);
        Set<String> seen = new HashSet<>();
        UUID kid = t.cencKey() == null ? null : t.cencKey().kid().toUuid();
        for (Element set : children(periods.get(0), "AdaptationSet")) {
            String type = set.getAttribute("contentType");
            checkProtection(set, type, kid, what);
            Element setTemplate = first(set, "SegmentTemplate");
            for (Element rep : children(set, "Representation")) {
                String id = rep.getAttribute("id");
                if (!seen.add(id)) {
                    throw new PackagingException(what + ": two Representations with id '" + id + "'");
                }
                Expected e = expected.get(id);
                if (e == null) {
                    throw new PackagingException(what + ": Representation '" + id + "' is no rendition of the title"
                            + " (renditions: " + String.join(", ", expected.keySet()) + ")");
                }
                checkRepresentation(dir, t, rep, set, setTemplate, e, kid, what);
            }
        }
        if (!seen.containsAll(expected.keySet())) {
            List<String> missing = new ArrayList<>(expected.keySet());
            missing.removeAll(seen);
            throw new PackagingException(what + ": no Representation for " + String.join(", ", missing));
        }
    }

    /** A rendition the MPD must list: its kind and, for video, its picture size. */
    private record Expected(String kind, SegmentedTrack track, int width, int height) {
    }

    private static Map<String, Expected> expected(TitleTracks t) {
        Map<String, Expected> m = new LinkedHashMap<>();
        for (TitleTracks.VideoTrack v : t.video()) {
            m.put(v.track().name(), new Expected("video", v.track(), v.rung().width(), v.rung().height()));
        }
        for (SegmentedTrack a : t.audio()) {
            m.put(a.name(), new Expected("audio", a, 0, 0));
        }
        for (SubtitleTrack s : t.subtitles()) {
            m.put(s.name(), new Expected("text", null, 0, 0));
        }
        return m;
    }

    private static void checkRepresentation(Path dir, TitleTracks t, Element rep, Element set, Element setTemplate,
                                            Expected e, UUID kid, String what) {
        String id = rep.getAttribute("id");
        String where = what + ": Representation '" + id + "'";
        if (!e.kind().equals(set.getAttribute("contentType"))) {
            throw new PackagingException(where + " is in a " + set.getAttribute("contentType")
                    + " AdaptationSet, expected " + e.kind());
        }
        if (positive(rep, "bandwidth", where) <= 0) {
            throw new PackagingException(where + ": bandwidth must be positive");
        }
        if (e.kind().equals("video") && (positive(rep, "width", where) != e.width()
                || positive(rep, "height", where) != e.height())) {
            throw new PackagingException(where + " is " + rep.getAttribute("width") + "x" + rep.getAttribute("height")
                    + ", the rendition " + e.width() + "x" + e.height());
        }
        Element template = first(rep, "SegmentTemplate");
        if (template == null) {
            template = setTemplate;
        }
        if (template == null) {
            Element base = first(rep, "BaseURL");
            if (base == null || e.track() != null) {
                throw new PackagingException(where + " has no SegmentTemplate" + (e.track() == null
                        ? " and no BaseURL" : ""));
            }
            requireFile(dir, base.getTextContent().trim(), where);
            return;
        }
        long timescale = positive(template, "timescale", where);
        String init = template.getAttribute("initialization");
        if (init.isEmpty()) {
            throw new PackagingException(where + ": its SegmentTemplate has no initialization");
        }
        Path initFile = requireFile(dir, expand(init, rep, 0, 0, where), where);
        checkInitProtection(initFile, kid, where);

        Element timeline = first(template, "SegmentTimeline");
        if (timeline == null) {
            throw new PackagingException(where + ": its SegmentTemplate has no SegmentTimeline");
        }
        long number = template.hasAttribute("startNumber") ? positive(template, "startNumber", where) : 1;
        long time = 0;
        long first = -1;
        int count = 0;
        for (Element s : children(timeline, "S")) {
            if (s.hasAttribute("t")) {
                time = nonNegative(s, "t", where);
            }
            if (first < 0) {
                first = time;
            }
            long d = positive(s, "d", where);
            long r = s.hasAttribute("r") ? Long.parseLong(s.getAttribute("r")) : 0;
            if (r < 0 || r > 100_000) {
                throw new PackagingException(where + ": S@r " + r + " is not a repeat count this title can have");
            }
            for (long i = 0; i <= r; i++) {
                requireFile(dir, expand(template.getAttribute("media"), rep, number++, time, where), where);
                time += d;
                count++;
            }
        }
        int written = e.track().segments(t.dashCopy()).size();
        if (count != written) {
            throw new PackagingException(where + ": the SegmentTimeline has " + count + " segments, " + written
                    + " were written");
        }
        double lasts = (double) (time - Math.max(0, first)) / timescale;
        if (Math.abs(lasts - t.durationSeconds()) > t.segmentSeconds()) {
            throw new PackagingException(where + ": the SegmentTimeline lasts " + lasts + " s, the title "
                    + t.durationSeconds() + " s");
        }
    }

    /**
     * A protected title: every video and audio AdaptationSet has the mp4protection descriptor with the key's id; every
     * descriptor's default_KID, pssh and licence URL is consistent. A clear title: no descriptor at all.
     */
    private static void checkProtection(Element set, String type, UUID kid, String what) {
        List<Element> cps = children(set, "ContentProtection");
        String where = what + ": " + type + " AdaptationSet " + set.getAttribute("id");
        if (kid == null) {
            if (!cps.isEmpty()) {
                throw new PackagingException(where + " has ContentProtection, but the title is clear");
            }
            return;
        }
        boolean mp4Protection = false;
        boolean clearKey = false;
        for (Element cp : cps) {
            String scheme = cp.getAttribute("schemeIdUri").toLowerCase(Locale.ROOT);
            String defaultKid = cp.getAttributeNS(CENC_NS, "default_KID");
            if (!defaultKid.isEmpty() && !parseUuid(defaultKid, where).equals(kid)) {
                throw new PackagingException(where + ": " + scheme + " has cenc:default_KID " + defaultKid
                        + ", the title's key is " + kid);
            }
            if (scheme.equals(ContentProtection.MP4_PROTECTION_SCHEME)) {
                if (!"cenc".equals(cp.getAttribute("value")) || defaultKid.isEmpty()) {
                    throw new PackagingException(where + ": the mp4protection descriptor must say value=\"cenc\""
                            + " and cenc:default_KID");
                }
                mp4Protection = true;
            }
            for (Element pssh : childrenNS(cp, CENC_NS, "pssh")) {
                checkPssh(pssh.getTextContent().trim(), scheme, kid, where);
            }
            if (scheme.equals(ContentProtection.DASHIF_CLEARKEY_SCHEME.toLowerCase(Locale.ROOT))) {
                checkLicenceUrl(cp, where);
                clearKey = true;
            }
        }
        // NOTE: the media server fills in the viewer's absolute licence URL by substituting exactly this relative
        // text (dash.js and Shaka hand dashif:Laurl to the browser unresolved, which would resolve it against the
        // page, not the MPD), so every protected set must carry it.
        if (!clearKey && (type.equals("video") || type.equals("audio"))) {
            throw new PackagingException(where + " has no DASH-IF ClearKey ContentProtection with dashif:Laurl "
                    + MediaPaths.CLEARKEY_LICENCE + ", but the title is encrypted");
        }
        if (!mp4Protection && (type.equals("video") || type.equals("audio"))) {
            throw new PackagingException(where + " has no " + ContentProtection.MP4_PROTECTION_SCHEME
                    + " ContentProtection, but the title is encrypted");
        }
    }

    private static void checkPssh(String base64, String scheme, UUID kid, String where) {
        byte[] box;
        try {
            box = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new PackagingException(where + ": a cenc:pssh is not base64", e);
        }
        UUID system;
        try {
            system = Pssh.systemIdOf(box);
        } catch (IllegalArgumentException e) {
            throw new PackagingException(where + ": a cenc:pssh is not a pssh box: " + e.getMessage(), e);
        }
        if (!scheme.equals("urn:uuid:" + system)) {
            throw new PackagingException(where + ": the pssh of system " + system + " is in the " + scheme
                    + " descriptor");
        }
        if (box[8] == 1) { // version 1 lists the key ids (ISO/IEC 23001-7 §8.1.2)
            ByteBuffer b = ByteBuffer.wrap(box, 28, box.length - 28);
            int n = b.remaining() >= 4 ? b.getInt() : -1;
            if (n < 0 || n > Pssh.MAX_KIDS || b.remaining() < 16L * n) {
                throw new PackagingException(where + ": the " + system + " pssh has a malformed KID list");
            }
            boolean found = false;
            for (int i = 0; i < n; i++) {
                found |= new UUID(b.getLong(), b.getLong()).equals(kid);
            }
            if (!found) {
                throw new PackagingException(where + ": the " + system + " pssh does not list the key " + kid);
            }
        }
    }

    /** A ClearKey descriptor's licence URL: relative (resolved against the MPD's URL) or http(s). */
    private static void checkLicenceUrl(Element cp, String where) {
        List<Element> dashif = childrenNS(cp, DASHIF_NS, "Laurl");
        if (dashif.size() != 1) {
            throw new PackagingException(where + ": the ClearKey ContentProtection has " + dashif.size()
                    + " dashif:Laurl, expected 1");
        }
        String url = dashif.get(0).getTextContent().trim();
        if (!url.equals(MediaPaths.CLEARKEY_LICENCE)) {
            throw new PackagingException(where + ": the ClearKey licence URL is '" + url + "', expected the relative "
                    + MediaPaths.CLEARKEY_LICENCE + " that the media server replaces with the viewer's URL");
        }
        try {
            URI u = new URI(url);
            if (url.isEmpty() || (u.isAbsolute() && !List.of("http", "https").contains(u.getScheme()
                    .toLowerCase(Locale.ROOT)))) {
                throw new PackagingException(where + ": the ClearKey licence URL '" + url + "' is neither relative"
                        + " nor http(s)");
            }
        } catch (URISyntaxException e) {
            throw new PackagingException(where + ": the ClearKey licence URL '" + url + "' is not a URI reference", e);
        }
        for (Element ck : childrenNS(cp, CLEARKEY_NS, "Laurl")) {
            if (!ck.getTextContent().trim().equals(url)) {
                throw new PackagingException(where + ": clearkey:Laurl '" + ck.getTextContent().trim()
                        + "' differs from dashif:Laurl '" + url + "'");
            }
        }
    }

    /**
     * The initialization segment a player gets for this Representation declares the same protection as the MPD:
     * the key's id in {@code moov/.../sinf/schi/tenc} (ISO/IEC 23001-7 §8.2), or no {@code sinf} at all.
     */
    private static void checkInitProtection(Path init, UUID kid, String where) {
        byte[] d;
        try {
            d = Files.readAllBytes(init);
        } catch (IOException e) {
            throw new PackagingException(where + ": cannot read " + init.getFileName(), e);
        }
        int[] tenc;
        int[] schm;
        try {
            tenc = Mp4Boxes.find(d, "moov/trak/mdia/minf/stbl/stsd/*/sinf/schi/tenc");
            schm = Mp4Boxes.find(d, "moov/trak/mdia/minf/stbl/stsd/*/sinf/schm");
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new PackagingException(where + ": its initialization segment is not a well-formed MP4", e);
        }
        if (kid == null) {
            if (tenc != null || schm != null) {
                throw new PackagingException(where + ": the initialization segment is encrypted, the title is clear");
            }
            return;
        }
        if (tenc == null || schm == null || tenc[1] < 32 || schm[1] < 16) {
            throw new PackagingException(where + ": the initialization segment has no tenc: not encrypted");
        }
        String scheme = new String(d, schm[0] + 12, 4, StandardCharsets.ISO_8859_1);
        int isProtected = d[tenc[0] + 14] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(d, tenc[0] + 16, 16);
        UUID declared = new UUID(b.getLong(), b.getLong());
        if (!scheme.equals("cenc") || isProtected != 1 || !declared.equals(kid)) {
            throw new PackagingException(where + ": the initialization segment declares scheme " + scheme
                    + ", default_isProtected " + isProtected + ", default_KID " + declared + "; the MPD says cenc, 1, "
                    + kid);
        }
    }

    /** Every BaseURL, wherever it is, is relative: the title is served from its own folder. */
    private static void checkBaseUrls(Element root, String what) {
        var all = root.getElementsByTagNameNS(Mpd.NAMESPACE, "BaseURL");
        for (int i = 0; i < all.getLength(); i++) {
            String url = all.item(i).getTextContent().trim();
            try {
                if (new URI(url).isAbsolute() || url.startsWith("/")) {
                    throw new PackagingException(what + ": BaseURL '" + url + "' is not relative to the MPD");
                }
            } catch (URISyntaxException e) {
                throw new PackagingException(what + ": BaseURL '" + url + "' is not a URI reference", e);
            }
        }
    }

    /** Expands a template's identifiers (ISO/IEC 23009-1 §5.3.9.4.4, Table 16). */
    private static String expand(String template, Element rep, long number, long time, String where) {
        Matcher m = IDENTIFIER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "RepresentationID" -> rep.getAttribute("id");
                case "Number" -> Long.toString(number);
                case "Time" -> Long.toString(time);
                default -> rep.getAttribute("bandwidth");
            };
            if (m.group(3) != null) {
                value = "0".repeat(Math.max(0, Integer.parseInt(m.group(3)) - value.length())) + value;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        String s = sb.toString().replace("$$", "$");
        if (s.indexOf('$') >= 0) {
            throw new PackagingException(where + ": the template '" + template + "' has an identifier this"
                    + " verifier does not know");
        }
        return s;
    }

    private static Path requireFile(Path dir, String rel, String where) {
        Path p = dir.resolve(rel).normalize();
        try {
            if (rel.isEmpty() || !p.startsWith(dir) || !Files.isRegularFile(p) || Files.size(p) == 0) {
                throw new PackagingException(where + " references " + rel + ", which is missing or empty");
            }
        } catch (IOException e) {
            throw new PackagingException(where + ": cannot read " + rel, e);
        }
        return p;
    }

    private static Document parse(Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PackagingException(what + " cannot be read", e);
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new PackagingException(what + " is not UTF-8", e);
        }
        try {
            return parser().parse(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            throw new PackagingException(what + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The JDK's DOM parser, namespace-aware, with DTDs refused and nothing external ever loaded (no XXE). */
    private static DocumentBuilder parser() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // not an error
            }

            @Override
            public void error(SAXParseException e) throws SAXParseException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXParseException {
                throw e;
            }
        });
        return b;
    }

    private static List<Element> children(Element parent, String name) {
        return childrenNS(parent, Mpd.NAMESPACE, name);
    }

    private static List<Element> childrenNS(Element parent, String ns, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element first(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static long positive(Element e, String attr, String where) {
        long v = nonNegative(e, attr, where);
        if (v == 0) {
            throw new PackagingException(where + ": " + e.getLocalName() + "@" + attr + " must be positive");
        }
        return v;
    }

    private static long nonNegative(Element e, String attr, String where) {
        try {
            long v = Long.parseLong(e.getAttribute(attr));
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException x) {
            throw new PackagingException(where + ": " + e.getLocalName() + "@" + attr + " '" + e.getAttribute(attr)
                    + "' is not a non-negative integer", x);
        }
    }

    private static double duration(Element e, String attr, String where) {
        try {
            return XsDuration.parse(e.getAttribute(attr)).toNanos() / 1e9;
        } catch (RuntimeException x) {
            throw new PackagingException(where + ": " + attr + " '" + e.getAttribute(attr) + "' is not an xs:duration",
                    x);
        }
    }

    private static UUID parseUuid(String text, String where) {
        try {
            if (!text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                throw new IllegalArgumentException("not 8-4-4-4-12 hex digits");
            }
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new PackagingException(where + ": cenc:default_KID '" + text + "' is not a UUID", e);
        }
    }
}
