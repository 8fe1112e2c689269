package dev.kino.media.file;

import dev.kino.protocol.dash.ContentProtection;
import dev.kino.protocol.dash.Mpd;
import dev.kino.protocol.dash.MpdWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A stored MPD prepared for per-viewer licence URLs: the packager writes the MPD once per title, so it cannot
 * carry the ClearKey licence URL, which holds the viewer's playback token. When the media server serves a
 * protected MPD it adds, to every AdaptationSet that has a {@code urn:mpeg:dash:mp4protection:2011}
 * ContentProtection, a DASH-IF ClearKey ContentProtection ({@code urn:uuid:e2719d58-…},
 * {@link ContentProtection#clearKey}) whose {@code dashif:Laurl} and {@code clearkey:Laurl} hold the absolute
 * licence URL of the request's token, rendered by the protocol's own {@link MpdWriter#writeContentProtection}.
 * Missing {@code xmlns:dashif}, {@code xmlns:clearkey} (and {@code xmlns:cenc}) declarations are added to the
 * root. An AdaptationSet that already has a DASH-IF ClearKey ContentProtection is left as it is.
 *
 * <p>NOTE: how. The file is not re-serialised through DOM/StAX: that would reorder attributes and rewrite the
 * declaration and whitespace of the packager's deterministic output. Instead {@link #plan} runs once per file
 * version: a small markup scanner finds the end of each mp4protection element and the end of the root's start
 * tag (it skips comments, CDATA and processing instructions, honours quoted attribute values and refuses a
 * DOCTYPE), and the document with the insertions made (a probe URL full of XML specials) is then parsed by the
 * JDK's namespace-aware DOM parser with DTDs disallowed and no external entities, and checked: root
 * {@code MPD} in the MPD namespace, UTF-8, every protected AdaptationSet has a ClearKey ContentProtection, and
 * each inserted one is in the right place with both {@code Laurl}s resolving to their namespaces and holding
 * exactly the probe URL. Only then is the plan used; {@link #render} is plain string concatenation (cheap, per
 * request). Anything unexpected makes the plan {@link #UNCHANGED}: the file is served as it is and a warning
 * logged (once per file version, as plans are cached by entity tag).
 *
 * <p>Immutable and thread-safe.
 */
public final class ClearKeyMpd {
    /** Nothing to add (clear MPD, or one this class does not understand): serve the file as it is. */
    public static final ClearKeyMpd UNCHANGED = new ClearKeyMpd(null, List.of());

    private static final Logger LOG = LoggerFactory.getLogger(ClearKeyMpd.class);
    private static final String MP4_PROTECTION = ContentProtection.MP4_PROTECTION_SCHEME;
    private static final String CLEARKEY = ContentProtection.DASHIF_CLEARKEY_SCHEME.toLowerCase(Locale.ROOT);
    /** Checked in place of a real URL: every character XML must escape, so escaping is verified too. */
    static final String PROBE_URL = "https://probe.invalid/v/t/x/license/clearkey?a=1&b=<2>&c=\"3\"&d='4'";

    private final String source;
    private final List<Insertion> insertions;

    /** Text inserted at an offset of the source: fixed (namespace declarations) or a ClearKey element. */
    private record Insertion(int offset, String fixed, UUID kid, int level) {
        String text(String licenceUrl) {
            if (fixed != null) {
                return fixed;
            }
            String element = MpdWriter.writeContentProtection(ContentProtection.clearKey(kid, licenceUrl), level);
            return "\n" + element.substring(0, element.length() - 1); // the source's own line end follows
        }
    }

    private ClearKeyMpd(String source, List<Insertion> insertions) {
        this.source = source;
        this.insertions = insertions;
    }

    /** @return true when {@link #render} adds something; false means: serve the file unchanged */
    public boolean changes() {
        return !insertions.isEmpty();
    }

    /**
     * @param licenceUrl the absolute ClearKey licence URL of this viewer (token) and title
     * @return the MPD with the ClearKey ContentProtections, UTF-8
     * @throws IllegalStateException if nothing is to be changed ({@link #changes()} false)
     * @throws IllegalArgumentException if the URL is blank or has characters XML cannot carry
     */
    public byte[] render(String licenceUrl) {
        return renderText(licenceUrl).getBytes(StandardCharsets.UTF_8);
    }

    private String renderText(String licenceUrl) {
        if (!changes()) {
            throw new IllegalStateException("nothing to change");
        }
        StringBuilder b = new StringBuilder(source.length() + insertions.size() * (2 * licenceUrl.length() + 300));
        int at = 0;
        for (Insertion i : insertions) {
            b.append(source, at, i.offset()).append(i.text(licenceUrl));
            at = i.offset();
        }
        return b.append(source, at, source.length()).toString();
    }

    /**
     * Plans the insertions for one version of an MPD file. Never throws for a malformed or unexpected
     * document: the answer is then {@link #UNCHANGED} (with a warning when the document looked protected).
     *
     * @param mpd the file's bytes
     * @param name what to call it in a warning (e.g. {@code title/manifest.mpd})
     * @return the plan
     */
    public static ClearKeyMpd plan(byte[] mpd, String name) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(mpd)).toString();
        } catch (CharacterCodingException e) {
            return unchanged(name, "not UTF-8");
        }
        List<Insertion> found;
        try {
            found = scan(text);
        } catch (Unexpected e) {
            return unchanged(name, e.getMessage());
        }
        if (found.isEmpty()) {
            return UNCHANGED;
        }
        ClearKeyMpd plan = new ClearKeyMpd(text, found);
        String problem = verify(plan.renderText(PROBE_URL), found);
        return problem == null ? plan : unchanged(name, problem);
    }

    static ClearKeyMpd unchanged(String name, String why) {
        LOG.warn("{}: served without the per-viewer ClearKey licence URL: {}", name, why);
        return UNCHANGED;
    }

    /** A document the scanner does not handle. */
    private static final class Unexpected extends Exception {
        Unexpected(String message) {
            super(message, null, false, false);
        }
    }

    /** An open element while scanning. */
    private static final class Open {
        final String name;
        final Map<String, String> attributes;
        final int start;
        boolean mp4Protection;
        // AdaptationSet only
        int mp4End = -1;
        UUID kid;
        int level;
        boolean hasClearKey;

        Open(String name, Map<String, String> attributes, int start) {
            this.name = name;
            this.attributes = attributes;
            this.start = start;
        }

        String localName() {
            return name.substring(name.indexOf(':') + 1);
        }
    }

    /** Finds the insertion points; the result is verified by a real parser afterwards. */
    private static List<Insertion> scan(String s) throws Unexpected {
        List<Insertion> out = new ArrayList<>();
        Deque<Open> stack = new ArrayDeque<>();
        Open root = null;
        int rootTagEnd = -1;
        int i = 0;
        int n = s.length();
        while (true) {
            int lt = s.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            if (s.startsWith("<!--", lt)) {
                i = after(s, "-->", lt + 4);
            } else if (s.startsWith("<![CDATA[", lt)) {
                i = after(s, "]]>", lt + 9);
            } else if (s.startsWith("<?", lt)) {
                i = after(s, "?>", lt + 2);
            } else if (s.startsWith("<!", lt)) {
                throw new Unexpected("a DOCTYPE or other declaration");
            } else if (s.startsWith("</", lt)) {
                int gt = s.indexOf('>', lt);
                if (gt < 0 || stack.isEmpty() || !s.substring(lt + 2, gt).strip().equals(stack.peek().name)) {
                    throw new Unexpected("unbalanced end tag at " + lt);
                }
                i = gt + 1;
                ended(stack.pop(), stack.peek(), i, s, out);
            } else {
                int j = lt + 1;
                while (j < n && !isSpace(s.charAt(j)) && s.charAt(j) != '>' && s.charAt(j) != '/') {
                    j++;
                }
                String name = s.substring(lt + 1, j);
                if (name.isEmpty()) {
                    throw new Unexpected("an empty element name at " + lt);
                }
                Map<String, String> attributes = new HashMap<>();
                boolean empty;
                int tagEnd;
                while (true) {
                    while (j < n && isSpace(s.charAt(j))) {
                        j++;
                    }
                    if (j >= n) {
                        throw new Unexpected("an unterminated start tag at " + lt);
                    }
                    if (s.charAt(j) == '>') {
                        tagEnd = j;
                        empty = false;
                        j++;
                        break;
                    }
                    if (s.startsWith("/>", j)) {
                        tagEnd = j;
                        empty = true;
                        j += 2;
                        break;
                    }
                    int a = j;
                    while (j < n && !isSpace(s.charAt(j)) && s.charAt(j) != '=') {
                        j++;
                    }
                    String attribute = s.substring(a, j);
                    while (j < n && isSpace(s.charAt(j))) {
                        j++;
                    }
                    if (attribute.isEmpty() || j + 1 >= n || s.charAt(j) != '=') {
                        throw new Unexpected("a malformed attribute at " + a);
                    }
                    j++;
                    while (j < n && isSpace(s.charAt(j))) {
                        j++;
                    }
                    char quote = j < n ? s.charAt(j) : 0;
                    int close = quote == '"' || quote == '\'' ? s.indexOf(quote, j + 1) : -1;
                    if (close < 0) {
                        throw new Unexpected("a malformed attribute value at " + a);
                    }
                    attributes.put(attribute, s.substring(j + 1, close));
                    j = close + 1;
                }
                Open e = new Open(name, attributes, lt);
                if (root == null) {
                    if (!stack.isEmpty()) {
                        throw new Unexpected("markup before the root");
                    }
                    root = e;
                    rootTagEnd = tagEnd;
                } else if (stack.isEmpty()) {
                    throw new Unexpected("a second root element");
                }
                started(e, stack.peek());
                i = j;
                if (empty) {
                    ended(e, stack.peek(), i, s, out);
                } else {
                    stack.push(e);
                }
            }
        }
        if (root == null || !stack.isEmpty()) {
            throw new Unexpected("no root element, or it is not closed");
        }
        if (out.isEmpty()) {
            return out;
        }
        StringBuilder declarations = new StringBuilder();
        declare(root, "dashif", ContentProtection.DASHIF_NAMESPACE, declarations);
        declare(root, "clearkey", ContentProtection.CLEARKEY_NAMESPACE, declarations);
        if (out.stream().anyMatch(x -> x.kid() != null)) {
            declare(root, "cenc", ContentProtection.CENC_NAMESPACE, declarations);
        }
        if (!declarations.isEmpty()) {
            out.add(new Insertion(rootTagEnd, declarations.toString(), null, 0));
        }
        out.sort(Comparator.comparingInt(Insertion::offset).thenComparing(x -> x.fixed() == null));
        return out;
    }

    private static void declare(Open root, String prefix, String namespace, StringBuilder declarations)
            throws Unexpected {
        String bound = root.attributes.get("xmlns:" + prefix);
        if (bound == null) {
            declarations.append(" xmlns:").append(prefix).append("=\"").append(namespace).append('"');
        } else if (!unescape(bound).equals(namespace)) {
            throw new Unexpected("the prefix " + prefix + " is bound to " + bound + " on the root, not " + namespace);
        }
    }

    private static void started(Open e, Open parent) {
        if (parent == null || !e.localName().equals("ContentProtection") || !parent.localName().equals("AdaptationSet")) {
            return;
        }
        String scheme = unescape(e.attributes.getOrDefault("schemeIdUri", "")).strip().toLowerCase(Locale.ROOT);
        if (scheme.equals(CLEARKEY)) {
            parent.hasClearKey = true;
        } else if (scheme.equals(MP4_PROTECTION) && parent.mp4End < 0) {
            e.mp4Protection = true;
        }
    }

    private static void ended(Open e, Open parent, int end, String s, List<Insertion> out) {
        if (e.mp4Protection) {
            parent.mp4End = end;
            parent.kid = defaultKid(e.attributes);
            int lineStart = s.lastIndexOf('\n', e.start) + 1;
            String indent = s.substring(lineStart, e.start);
            parent.level = indent.chars().allMatch(c -> c == ' ') && indent.length() % 2 == 0 ? indent.length() / 2 : 0;
        } else if (e.localName().equals("AdaptationSet") && e.mp4End >= 0 && !e.hasClearKey) {
            out.add(new Insertion(e.mp4End, null, e.kid, e.level));
        }
    }

    /** The {@code cenc:default_KID} (whatever its prefix: the verification checks it resolves), or null. */
    private static UUID defaultKid(Map<String, String> attributes) {
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (a.getKey().endsWith(":default_KID")) {
                try {
                    return UUID.fromString(unescape(a.getValue()).strip());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static int after(String s, String end, int from) throws Unexpected {
        int at = s.indexOf(end, from);
        if (at < 0) {
            throw new Unexpected("unterminated markup at " + from);
        }
        return at + end.length();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** The predefined entities only (enough to compare scheme URIs and key ids; the parser checks the rest). */
    private static String unescape(String v) {
        if (v.indexOf('&') < 0) {
            return v;
        }
        return v.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    // ---- verification by a real parser

    private static DocumentBuilder parser() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // not a problem
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

    /** @return null when the probe rendering is what the plan promises, else what is wrong */
    private static String verify(String probe, List<Insertion> insertions) {
        Document doc;
        try {
            doc = parser().parse(new ByteArrayInputStream(probe.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            return "not well-formed XML (" + e.getMessage() + ")";
        }
        if (doc.getXmlEncoding() != null && !doc.getXmlEncoding().equalsIgnoreCase("UTF-8")) {
            return "declared encoding " + doc.getXmlEncoding();
        }
        Element root = doc.getDocumentElement();
        if (!"MPD".equals(root.getLocalName()) || !Mpd.NAMESPACE.equals(root.getNamespaceURI())) {
            return "the root is not an MPD in " + Mpd.NAMESPACE;
        }
        int expected = (int) insertions.stream().filter(x -> x.fixed() == null).count();
        int probes = 0;
        NodeList sets = doc.getElementsByTagNameNS(Mpd.NAMESPACE, "AdaptationSet");
        for (int s = 0; s < sets.getLength(); s++) {
            boolean mp4 = false;
            int clearKeys = 0;
            int inserted = 0;
            for (Node c = sets.item(s).getFirstChild(); c != null; c = c.getNextSibling()) {
                if (!(c instanceof Element cp) || !"ContentProtection".equals(cp.getLocalName())
                        || !Mpd.NAMESPACE.equals(cp.getNamespaceURI())) {
                    continue;
                }
                String scheme = cp.getAttribute("schemeIdUri").strip().toLowerCase(Locale.ROOT);
                mp4 |= scheme.equals(MP4_PROTECTION);
                if (scheme.equals(CLEARKEY)) {
                    clearKeys++;
                    if (isProbe(cp)) {
                        inserted++;
                    }
                }
            }
            if (mp4 && clearKeys == 0) {
                return "a protected AdaptationSet without the ClearKey ContentProtection";
            }
            if (inserted > 1 || (inserted == 1 && !mp4)) {
                return "a ClearKey ContentProtection inserted in the wrong place";
            }
            probes += inserted;
        }
        return probes == expected ? null : probes + " ClearKey ContentProtections where " + expected + " were planned";
    }

    private static boolean isProbe(Element cp) {
        boolean dashif = false;
        boolean clearkey = false;
        for (Node c = cp.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && "Laurl".equals(e.getLocalName()) && PROBE_URL.equals(e.getTextContent())) {
                dashif |= ContentProtection.DASHIF_NAMESPACE.equals(e.getNamespaceURI()) && "dashif".equals(e.getPrefix());
                clearkey |= ContentProtection.CLEARKEY_NAMESPACE.equals(e.getNamespaceURI())
                        && "clearkey".equals(e.getPrefix()) && "EME-1.0".equals(e.getAttribute("Lic_type"));
            }
        }
        // the key id must resolve to the cenc namespace (a nested rebinding of the prefix would break it)
        boolean kid = !cp.hasAttribute("cenc:default_KID")
                || !cp.getAttributeNS(ContentProtection.CENC_NAMESPACE, "default_KID").isEmpty();
        return dashif && clearkey && kid;
    }
}
