package dev.kino.media.file;

import dev.kino.protocol.dash.AdaptationSet;
import dev.kino.protocol.dash.ContentProtection;
import dev.kino.protocol.dash.ContentType;
import dev.kino.protocol.dash.EncryptionScheme;
import dev.kino.protocol.dash.Mpd;
import dev.kino.protocol.dash.MpdWriter;
import dev.kino.protocol.dash.Period;
import dev.kino.protocol.dash.Pssh;
import dev.kino.protocol.dash.Representation;
import dev.kino.protocol.dash.Role;
import dev.kino.protocol.dash.SegmentTemplate;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-viewer ClearKey insertion into stored MPDs: what is added, where, and when nothing is. */
public class ClearKeyMpdTest {
    public static final UUID KID = UUID.fromString("22222222-2222-2222-2222-222222222222");
    static final String URL = "https://media.example/v/1.k1.abc_-~/t1/license/clearkey";
    static final String MP4 = "<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\""
            + " cenc:default_KID=\"" + KID + "\"/>";
    static final String ROOT = "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:cenc=\"urn:mpeg:cenc:2013\">";

    /** An MPD as the packager writes it for a CENC title: video, audio (protected) and subtitles (clear). */
    public static String packagedMpd(UUID kid) {
        List<ContentProtection> cps = List.of(ContentProtection.mp4Protection(EncryptionScheme.CENC, kid),
                ContentProtection.widevine(kid, Pssh.widevineBox(List.of(kid), null)),
                ContentProtection.w3cCommon(List.of(kid), null));
        SegmentTemplate st = SegmentTemplate.builder().timescale(1000).initialization("$RepresentationID$/init.mp4")
                .media("$RepresentationID$/seg-$Number$.m4s").startNumber(1L).duration(4000L).build();
        Period period = Period.builder().id("0")
                .adaptationSet(AdaptationSet.builder().id(1L).contentType(ContentType.VIDEO).mimeType("video/mp4")
                        .contentProtections(cps).representation(Representation.builder().id("v720").bandwidth(2_000_000)
                                .codecs("avc1.64001f").resolution(1280, 720).segmentTemplate(st).build()).build())
                .adaptationSet(AdaptationSet.builder().id(2L).contentType(ContentType.AUDIO).mimeType("audio/mp4")
                        .lang("en").contentProtections(cps).representation(Representation.builder().id("a").bandwidth(128_000)
                                .codecs("mp4a.40.2").audioSamplingRate(48_000).audioChannels(2).segmentTemplate(st).build())
                        .build())
                .adaptationSet(AdaptationSet.webVtt(3L, "en", Role.SUBTITLE, "English", "s", 256, "subs-en.vtt"))
                .build();
        return MpdWriter.write(Mpd.builder().mediaPresentationDuration(Duration.ofSeconds(8)).period(period).build());
    }

    /** What the server inserts for {@code url} in {@link #packagedMpd}: root declarations and two elements. */
    public static String withoutInsertions(String served, UUID kid, String url) {
        String element = MpdWriter.writeContentProtection(ContentProtection.clearKey(kid, url), 3);
        String inserted = "\n" + element.substring(0, element.length() - 1);
        assertEquals(2, served.split(java.util.regex.Pattern.quote(inserted), -1).length - 1, served);
        String declarations = " xmlns:dashif=\"https://dashif.org/CPS\" xmlns:clearkey=\"http://dashif.org/guidelines/clearKey\"";
        assertEquals(1, served.split(declarations, -1).length - 1, served);
        return served.replace(inserted, "").replace(declarations, "");
    }

    public static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** The ContentProtection children of each AdaptationSet, as (schemeIdUri, dashif Laurl, clearkey Laurl). */
    public static List<List<String[]>> protections(Document doc) {
        List<List<String[]>> out = new ArrayList<>();
        var sets = doc.getElementsByTagNameNS(Mpd.NAMESPACE, "AdaptationSet");
        for (int i = 0; i < sets.getLength(); i++) {
            List<String[]> cps = new ArrayList<>();
            for (Node c = sets.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && "ContentProtection".equals(e.getLocalName())) {
                    String dashif = text(e, ContentProtection.DASHIF_NAMESPACE);
                    String clearkey = text(e, ContentProtection.CLEARKEY_NAMESPACE);
                    cps.add(new String[] {e.getAttribute("schemeIdUri"), dashif, clearkey,
                            e.getAttributeNS(ContentProtection.CENC_NAMESPACE, "default_KID"), e.getAttribute("value")});
                }
            }
            out.add(cps);
        }
        return out;
    }

    private static String text(Element cp, String ns) {
        var l = cp.getElementsByTagNameNS(ns, "Laurl");
        if (l.getLength() == 0) {
            return null;
        }
        Element e = (Element) l.item(0);
        if (ns.equals(ContentProtection.CLEARKEY_NAMESPACE)) {
            assertEquals("EME-1.0", e.getAttribute("Lic_type"));
        }
        return e.getTextContent();
    }

    private static ClearKeyMpd plan(String mpd) {
        return ClearKeyMpd.plan(mpd.getBytes(StandardCharsets.UTF_8), "test/manifest.mpd");
    }

    private static String render(String mpd, String url) {
        ClearKeyMpd p = plan(mpd);
        assertTrue(p.changes(), mpd);
        return new String(p.render(url), StandardCharsets.UTF_8);
    }

    @Test
    void packagedMpdGetsOneClearKeyPerProtectedAdaptationSet() throws Exception {
        String mpd = packagedMpd(KID);
        String out = render(mpd, URL);
        assertEquals(mpd, withoutInsertions(out, KID, URL), "nothing else changes, byte for byte");
        List<List<String[]>> sets = protections(parse(out.getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, sets.size());
        for (int i = 0; i < 2; i++) {
            List<String[]> cps = sets.get(i);
            assertEquals(4, cps.size());
            assertEquals(ContentProtection.MP4_PROTECTION_SCHEME, cps.get(0)[0]);
            assertEquals(ContentProtection.DASHIF_CLEARKEY_SCHEME, cps.get(1)[0], "right after mp4protection");
            assertEquals(URL, cps.get(1)[1]);
            assertEquals(URL, cps.get(1)[2]);
            assertEquals(KID.toString(), cps.get(1)[3]);
            assertEquals("ClearKey1.0", cps.get(1)[4]);
        }
        assertTrue(sets.get(2).isEmpty(), "subtitles stay clear");
        assertTrue(out.contains("\n      <ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\""),
                "indented like its siblings");
    }

    @Test
    void urlIsXmlEscaped() throws Exception {
        String url = "https://m.example/v/t/t1/license/clearkey?a=1&b=<2>&c=\"3\"]]>";
        String out = render(packagedMpd(KID), url);
        assertFalse(out.contains("<2>"));
        assertEquals(url, protections(parse(out.getBytes(StandardCharsets.UTF_8))).get(0).get(1)[1]);
    }

    @Test
    void existingDeclarationsAreReusedAndMinifiedMpdsWork() throws Exception {
        String mpd = "<?xml version='1.0' encoding='utf-8'?><!-- <AdaptationSet> " + MP4 + " -->"
                + "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:cenc=\"urn:mpeg:cenc:2013\" xmlns:dashif=\"https://dashif.org/CPS\">"
                + "<Period><AdaptationSet mimeType=\"video/mp4\" x='a>b'><ContentProtection value=\"cenc\" "
                + "schemeIdUri=\" urn:mpeg:dash:mp4protection:2011 \" cenc:default_KID=\"" + KID + "\"></ContentProtection>"
                + "<![CDATA[ <ContentProtection/> ]]><Representation id=\"v\"/></AdaptationSet></Period></MPD>";
        String out = render(mpd, URL);
        assertEquals(1, out.split("xmlns:dashif=", -1).length - 1, "declared once");
        assertTrue(out.contains("xmlns:clearkey=\"http://dashif.org/guidelines/clearKey\""));
        List<List<String[]>> sets = protections(parse(out.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ContentProtection.DASHIF_CLEARKEY_SCHEME, sets.get(0).get(1)[0]);
        assertEquals(URL, sets.get(0).get(1)[1]);
    }

    @Test
    void adaptationSetWithClearKeyAlreadyIsLeftAlone() {
        String own = "<ContentProtection schemeIdUri=\"urn:uuid:E2719D58-A985-B3C9-781A-B030AF78D30E\"/>";
        String mpd = ROOT + "<Period><AdaptationSet>" + MP4 + own + "</AdaptationSet><AdaptationSet>" + MP4
                + "</AdaptationSet></Period></MPD>";
        String out = render(mpd, URL);
        assertEquals(1, out.split("ClearKey1.0", -1).length - 1, out);
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet>" + MP4 + own + "</AdaptationSet></Period></MPD>"));
    }

    @Test
    void nothingToAddOrNotUnderstoodMeansUnchanged() {
        assertSame(ClearKeyMpd.UNCHANGED, plan("<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"/>\n"));
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet><Representation/></AdaptationSet></Period></MPD>"));
        // not well-formed, unbalanced, truncated
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet>" + MP4 + "</AdaptationSet></Period>"));
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet>" + MP4 + "</Period></AdaptationSet></MPD>"));
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet a=\"1\" b>" + MP4 + "</AdaptationSet></Period></MPD>"));
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet>" + MP4 + "</AdaptationSet></Period></MPD><x/>"));
        // a DTD (external entities are never fetched: both the scanner and the parser refuse DOCTYPEs)
        assertSame(ClearKeyMpd.UNCHANGED, plan("<!DOCTYPE MPD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + ROOT
                + "<Period><AdaptationSet>" + MP4 + "</AdaptationSet></Period></MPD>"));
        // an undeclared entity: well-formed to the scanner, not to the parser
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet>&x;" + MP4 + "</AdaptationSet></Period></MPD>"));
        // not an MPD, prefix bound elsewhere, not UTF-8, another declared encoding
        assertSame(ClearKeyMpd.UNCHANGED, plan("<MPD xmlns=\"urn:other\" xmlns:cenc=\"urn:mpeg:cenc:2013\"><Period><AdaptationSet>"
                + MP4 + "</AdaptationSet></Period></MPD>"));
        assertSame(ClearKeyMpd.UNCHANGED, plan("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:cenc=\"urn:mpeg:cenc:2013\" "
                + "xmlns:dashif=\"urn:elsewhere\"><Period><AdaptationSet>" + MP4 + "</AdaptationSet></Period></MPD>"));
        byte[] latin1 = (ROOT + "<Period><AdaptationSet lang=\"fr\u00e9\">" + MP4 + "</AdaptationSet></Period></MPD>")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertSame(ClearKeyMpd.UNCHANGED, ClearKeyMpd.plan(latin1, "latin1.mpd"));
        assertSame(ClearKeyMpd.UNCHANGED, plan("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>" + ROOT
                + "<Period><AdaptationSet>" + MP4 + "</AdaptationSet></Period></MPD>"));
        // cenc rebound on the AdaptationSet: the inserted default_KID would not resolve to cenc
        assertSame(ClearKeyMpd.UNCHANGED, plan(ROOT + "<Period><AdaptationSet xmlns:cenc=\"urn:x\">" + MP4
                + "</AdaptationSet></Period></MPD>"));
        assertThrows(IllegalStateException.class, () -> ClearKeyMpd.UNCHANGED.render(URL));
    }
}
