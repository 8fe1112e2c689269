package dev.kino.loadtest;

import dev.kino.protocol.dash.XsDuration;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a DASH client needs from a static MPD (ISO/IEC 23009-1): per adaptation set its content type and
 * representations, each representation's initialization and media segment URLs from its {@code SegmentTemplate}
 * (§5.3.9.4: {@code $RepresentationID$}, {@code $Number$}, {@code $Time$}, {@code $Bandwidth$}, with
 * {@code %0Nd} widths) over a {@code SegmentTimeline} or a fixed {@code @duration}, {@code BaseURL}s resolved
 * MPD → Period → AdaptationSet → Representation, and the {@code cenc:default_KID}s of its
 * {@code ContentProtection} (ISO/IEC 23001-7). Kino's protocol module writes MPDs but has no reader; this is the
 * small one a load generator needs. Only the first Period is played.
 */
final class MpdReader {
    /** A segment: absolute URL, start and duration in seconds. */
    record Segment(String url, double start, double duration) {
    }

    /** A representation: id, bandwidth (bit/s), height (0 for audio), init URL, segments. */
    record Representation(String id, long bandwidth, int height, String initUrl, List<Segment> segments) {
    }

    /** An adaptation set: {@code video}, {@code audio} or {@code text}, and its representations. */
    record AdaptationSet(String contentType, List<Representation> representations) {
    }

    /** The parsed presentation: adaptation sets of the first Period, every default KID, total duration (s). */
    record Presentation(List<AdaptationSet> adaptationSets, Set<String> defaultKids, double durationSeconds) {
    }

    private static final Pattern IDENTIFIER = Pattern.compile("\\$(RepresentationID|Number|Time|Bandwidth)(%0(\\d+)d)?\\$|\\$\\$");

    private MpdReader() {
    }

    /**
     * @param mpdUrl where the MPD was loaded from (relative URLs resolve against it)
     * @param text the MPD
     * @return the presentation
     * @throws IllegalStateException not an MPD this reader understands
     */
    static Presentation read(URI mpdUrl, String text) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // An MPD needs no DTD: refusing them keeps entity tricks out of the load generator.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(false);
            doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
        } catch (Exception e) {
            throw new IllegalStateException("MPD " + mpdUrl + " is not XML: " + e.getMessage(), e);
        }
        Element mpd = doc.getDocumentElement();
        if (!mpd.getTagName().equals("MPD")) {
            throw new IllegalStateException(mpdUrl + " is not an MPD (root <" + mpd.getTagName() + ">)");
        }
        double total = seconds(mpd.getAttribute("mediaPresentationDuration"));
        URI base = base(mpdUrl, mpd);
        Element period = child(mpd, "Period");
        if (period == null) {
            throw new IllegalStateException("MPD " + mpdUrl + " has no Period");
        }
        if (total <= 0) {
            total = seconds(period.getAttribute("duration"));
        }
        base = base(base, period);
        List<AdaptationSet> sets = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (Element as : children(period, "AdaptationSet")) {
            URI asBase = base(base, as);
            for (Element cp : children(as, "ContentProtection")) {
                String kid = cp.getAttribute("cenc:default_KID");
                if (!kid.isBlank()) {
                    kids.add(kid.strip());
                }
            }
            Element asTemplate = child(as, "SegmentTemplate");
            String type = as.getAttribute("contentType");
            if (type.isBlank()) {
                type = as.getAttribute("mimeType").replaceFirst("/.*", "");
            }
            List<Representation> reps = new ArrayList<>();
            for (Element r : children(as, "Representation")) {
                for (Element cp : children(r, "ContentProtection")) {
                    String kid = cp.getAttribute("cenc:default_KID");
                    if (!kid.isBlank()) {
                        kids.add(kid.strip());
                    }
                }
                Element t = child(r, "SegmentTemplate");
                reps.add(representation(base(asBase, r), r, t != null ? t : asTemplate, total));
            }
            if (!reps.isEmpty()) {
                sets.add(new AdaptationSet(type, reps));
            }
        }
        return new Presentation(sets, kids, total);
    }

    private static Representation representation(URI base, Element r, Element template, double total) {
        String id = r.getAttribute("id");
        long bandwidth = r.getAttribute("bandwidth").isBlank() ? 0 : Long.parseLong(r.getAttribute("bandwidth"));
        int height = r.getAttribute("height").isBlank() ? 0 : Integer.parseInt(r.getAttribute("height"));
        if (template == null) {
            throw new IllegalStateException("representation " + id + " has no SegmentTemplate");
        }
        long timescale = template.getAttribute("timescale").isBlank() ? 1 : Long.parseLong(template.getAttribute("timescale"));
        long number = template.getAttribute("startNumber").isBlank() ? 1 : Long.parseLong(template.getAttribute("startNumber"));
        String media = template.getAttribute("media");
        String init = template.getAttribute("initialization");
        List<Segment> segments = new ArrayList<>();
        Element timeline = child(template, "SegmentTimeline");
        if (timeline != null) {
            long t = 0;
            for (Element s : children(timeline, "S")) {
                if (!s.getAttribute("t").isBlank()) {
                    t = Long.parseLong(s.getAttribute("t"));
                }
                long d = Long.parseLong(s.getAttribute("d"));
                int repeat = s.getAttribute("r").isBlank() ? 0 : Integer.parseInt(s.getAttribute("r"));
                for (int i = 0; i <= repeat; i++) {
                    segments.add(new Segment(base.resolve(fill(media, id, number, t, bandwidth)).toString(),
                            (double) t / timescale, (double) d / timescale));
                    t += d;
                    number++;
                }
            }
        } else if (!template.getAttribute("duration").isBlank()) {
            long d = Long.parseLong(template.getAttribute("duration"));
            double seconds = (double) d / timescale;
            long count = (long) Math.ceil(total / seconds - 1e-9);
            for (long i = 0; i < count; i++) {
                segments.add(new Segment(base.resolve(fill(media, id, number + i, i * d, bandwidth)).toString(),
                        i * seconds, Math.min(seconds, total - i * seconds)));
            }
        } else {
            throw new IllegalStateException("representation " + id + ": SegmentTemplate without SegmentTimeline or @duration");
        }
        String initUrl = init.isBlank() ? null : base.resolve(fill(init, id, number, 0, bandwidth)).toString();
        return new Representation(id, bandwidth, height, initUrl, segments);
    }

    /** @return the template with its identifiers substituted (ISO/IEC 23009-1 §5.3.9.4.4, Table 16) */
    static String fill(String template, String id, long number, long time, long bandwidth) {
        Matcher m = IDENTIFIER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group(1) == null) {
                value = "$";
            } else {
                value = switch (m.group(1)) {
                    case "RepresentationID" -> id;
                    case "Number" -> pad(number, m.group(3));
                    case "Time" -> pad(time, m.group(3));
                    default -> pad(bandwidth, m.group(3));
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String pad(long n, String width) {
        return width == null ? Long.toString(n) : String.format("%0" + Integer.parseInt(width) + "d", n);
    }

    private static double seconds(String xsDuration) {
        return xsDuration == null || xsDuration.isBlank() ? 0 : XsDuration.parse(xsDuration).toNanos() / 1e9;
    }

    private static URI base(URI parent, Element e) {
        Element b = child(e, "BaseURL");
        return b == null ? parent : parent.resolve(b.getTextContent().strip());
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
