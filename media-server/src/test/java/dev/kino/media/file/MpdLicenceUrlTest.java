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
import dev.kino.protocol.token.MediaPaths;
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

/** The plain substitution of the packager's relative licence URL by a viewer's absolute one. */
public class MpdLicenceUrlTest {
    static final UUID KID = UUID.fromString("22222222-2222-2222-2222-222222222222");
    static final String URL = "https://media.example/v/1.k1.abc_-~/t1/license/clearkey?a=1&b=<2>";

    /** An MPD as the packager writes it for a CENC title: video, audio (protected) and subtitles (clear). */
    public static String packagedMpd(UUID kid) {
        List<ContentProtection> cps = List.of(ContentProtection.mp4Protection(EncryptionScheme.CENC, kid),
                ContentProtection.clearKey(kid, MediaPaths.CLEARKEY_LICENCE),
                ContentProtection.widevine(kid, Pssh.widevineBox(List.of(kid), null)),
                ContentProtection.w3cCommon(List.of(kid), null));
        return mpd(cps);
    }

    /** The same title packaged clear. */
    public static String clearMpd() {
        return mpd(List.of());
    }

    private static String mpd(List<ContentProtection> cps) {
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

    public static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** The ContentProtection children of each AdaptationSet, as (schemeIdUri, dashif Laurl, clearkey Laurl, KID, value). */
    public static List<List<String[]>> protections(Document doc) {
        List<List<String[]>> out = new ArrayList<>();
        var sets = doc.getElementsByTagNameNS(Mpd.NAMESPACE, "AdaptationSet");
        for (int i = 0; i < sets.getLength(); i++) {
            List<String[]> cps = new ArrayList<>();
            for (Node c = sets.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && "ContentProtection".equals(e.getLocalName())) {
                    cps.add(new String[] {e.getAttribute("schemeIdUri"), text(e, ContentProtection.DASHIF_NAMESPACE),
                            text(e, ContentProtection.CLEARKEY_NAMESPACE),
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

    @Test
    void everyLaurlOfThePackagedMpdGetsTheUrlEscaped() throws Exception {
        String mpd = packagedMpd(KID);
        MpdLicenceUrl plan = MpdLicenceUrl.of(mpd.getBytes(StandardCharsets.UTF_8));
        byte[] served = plan.render(URL);
        String text = new String(served, StandardCharsets.UTF_8);
        assertEquals(mpd.replace(">license/clearkey<", ">" + URL.replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;") + "<"), text, "only the placeholders change");
        List<List<String[]>> sets = protections(parse(served));
        for (List<String[]> cps : sets.subList(0, 2)) {
            String[] clearKey = cps.stream().filter(c -> c[0].equals(ContentProtection.DASHIF_CLEARKEY_SCHEME))
                    .findFirst().orElseThrow();
            assertEquals(URL, clearKey[1], "dashif:Laurl");
            assertEquals(URL, clearKey[2], "clearkey:Laurl");
            assertEquals(KID.toString(), clearKey[3]);
            assertEquals("ClearKey1.0", clearKey[4]);
        }
        assertEquals(List.of(), sets.get(2), "subtitles stay clear");
    }

    @Test
    void noPlaceholderMeansUnchanged() {
        assertSame(MpdLicenceUrl.UNCHANGED, MpdLicenceUrl.of(clearMpd().getBytes(StandardCharsets.UTF_8)));
        // The placeholder in an attribute or inside longer text is not an element's whole text: left alone.
        String other = "<MPD a=\"license/clearkey\"><BaseURL>x/license/clearkey</BaseURL><B>license/clearkeys</B></MPD>";
        assertSame(MpdLicenceUrl.UNCHANGED, MpdLicenceUrl.of(other.getBytes(StandardCharsets.UTF_8)));
        assertFalse(MpdLicenceUrl.UNCHANGED.changes());
        assertThrows(IllegalStateException.class, () -> MpdLicenceUrl.UNCHANGED.render(URL));
    }

    @Test
    void placeholderAtTheEdgesAndUtf8AroundIt() {
        String mpd = "<L>license/clearkey</L><T>Фильм</T><L>license/clearkey</L>";
        String out = new String(MpdLicenceUrl.of(mpd.getBytes(StandardCharsets.UTF_8)).render("https://a/b"),
                StandardCharsets.UTF_8);
        assertEquals("<L>https://a/b</L><T>Фильм</T><L>https://a/b</L>", out);
        assertThrows(IllegalArgumentException.class, () -> MpdLicenceUrl.of(mpd.getBytes(StandardCharsets.UTF_8))
                .render("https://a/\nb"));
    }
}
