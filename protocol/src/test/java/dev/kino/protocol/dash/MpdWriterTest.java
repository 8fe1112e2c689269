package dev.kino.protocol.dash;

import dev.kino.protocol.media.FrameRate;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MpdWriterTest {

    private static final String CENC = "urn:mpeg:cenc:2013";

    @Test
    void clearMpdMatchesGolden() {
        assertEquals(XmlAssert.golden("clear.mpd"), MpdWriter.write(SampleMpds.clear()));
    }

    @Test
    void protectedMpdMatchesGolden() {
        assertEquals(XmlAssert.golden("protected.mpd"), MpdWriter.write(SampleMpds.protectedMpd()));
    }

    @Test
    void numberTemplateWithDurationMatchesHandWrittenGolden() {
        UUID kid = UUID.fromString("0123abcd-ef01-4567-89ab-cdef01234567");
        Duration len = Duration.ofHours(1).plusMillis(40);
        Mpd mpd = Mpd.builder()
                .mediaPresentationDuration(len)
                .minBufferTime(Duration.ofSeconds(4))
                .baseUrl("https://cdn.example/title/")
                .period(Period.builder().id("1").duration(len)
                        .adaptationSet(AdaptationSet.builder(ContentType.VIDEO).mimeType("video/mp4").startWithSap(1)
                                .contentProtection(ContentProtection.mp4Protection(EncryptionScheme.CBCS, kid))
                                .representation(Representation.builder("v").bandwidth(800_000)
                                        .codecs("hvc1.1.6.L93.B0").resolution(1280, 720).frameRate(FrameRate.of(25))
                                        .segmentTemplate(SegmentTemplate.builder().timescale(1000)
                                                .initialization("v/init.mp4")
                                                .media("v/seg-$Number$.m4s?a=1&b=\"2\"")
                                                .startNumber(0L).presentationTimeOffset(500).duration(4000L).build())
                                        .build())
                                .build())
                        .build())
                .build();
        String xml = MpdWriter.write(mpd);
        assertEquals(XmlAssert.golden("minimal-number.mpd"), xml);
        Element st = (Element) XmlAssert.parse(xml).getElementsByTagNameNS(Mpd.NAMESPACE, "SegmentTemplate").item(0);
        assertEquals("v/seg-$Number$.m4s?a=1&b=\"2\"", st.getAttribute("media"), "escaping round-trips");
        assertFalse(xml.contains("xmlns:dashif"), "no licence URL, no dashif namespace");
    }

    @Test
    void outputIsWellFormedAndNamespacesResolve() {
        Document doc = XmlAssert.parse(MpdWriter.write(SampleMpds.protectedMpd()));
        Element root = doc.getDocumentElement();
        assertEquals(Mpd.NAMESPACE, root.getNamespaceURI());
        assertEquals("MPD", root.getLocalName());
        assertEquals("static", root.getAttribute("type"));
        NodeList cps = doc.getElementsByTagNameNS(Mpd.NAMESPACE, "ContentProtection");
        assertEquals(12, cps.getLength(), "4 descriptors on each of 3 protected sets");
        Element first = (Element) cps.item(0);
        assertEquals(SampleMpds.KID.toString(), first.getAttributeNS(CENC, "default_KID"));
        NodeList psshs = doc.getElementsByTagNameNS(CENC, "pssh");
        assertEquals(6, psshs.getLength());
        byte[] wv = java.util.Base64.getDecoder().decode(psshs.item(0).getTextContent());
        assertArrayEquals(Pssh.widevineBox(List.of(SampleMpds.KID), null), wv);
        NodeList dashif = doc.getElementsByTagNameNS(ContentProtection.DASHIF_NAMESPACE, "Laurl");
        NodeList clearkey = doc.getElementsByTagNameNS(ContentProtection.CLEARKEY_NAMESPACE, "Laurl");
        assertEquals(6, dashif.getLength());
        assertEquals(6, clearkey.getLength());
        assertEquals(SampleMpds.LICENCE_URL, dashif.item(0).getTextContent());
        assertEquals("dashif", dashif.item(0).getPrefix(), "dash.js matches on the prefix");
        assertEquals("clearkey", clearkey.item(0).getPrefix(), "dash.js matches on the prefix");
        assertEquals("EME-1.0", ((Element) clearkey.item(0)).getAttribute("Lic_type"), "Shaka requires Lic_type");
        assertEquals(SampleMpds.LICENCE_URL, clearkey.item(0).getTextContent());
    }

    @Test
    void specialCharactersAreEscapedInAttributesAndText() {
        AdaptationSet sub = AdaptationSet.webVtt(null, "en", Role.SUBTITLE, "Tom & Jerry <\"SDH\">\ttab", "s",
                100, "subs/a&b<c>.vtt");
        Mpd mpd = Mpd.builder().mediaPresentationDuration(Duration.ofSeconds(10))
                .baseUrl("https://x.example/?q=1&r=\"2\"")
                .period(Period.builder().adaptationSet(sub).build()).build();
        String xml = MpdWriter.write(mpd);
        assertTrue(xml.contains("<Label>Tom &amp; Jerry &lt;\"SDH\"&gt;\ttab</Label>"), xml);
        assertTrue(xml.contains("<BaseURL>subs/a&amp;b&lt;c&gt;.vtt</BaseURL>"), xml);
        Document doc = XmlAssert.parse(xml);
        assertEquals("Tom & Jerry <\"SDH\">\ttab",
                doc.getElementsByTagNameNS(Mpd.NAMESPACE, "Label").item(0).getTextContent());
        assertEquals("https://x.example/?q=1&r=\"2\"",
                doc.getElementsByTagNameNS(Mpd.NAMESPACE, "BaseURL").item(0).getTextContent());
    }

    @Test
    void writeBytesIsUtf8() {
        byte[] b = MpdWriter.writeBytes(SampleMpds.clear());
        String s = new String(b, StandardCharsets.UTF_8);
        assertTrue(s.contains("<Label>Français</Label>"));
        assertEquals(MpdWriter.write(SampleMpds.clear()), s);
    }

    @Test
    void oneContentProtectionIsWrittenAsInTheWholeMpd() {
        ContentProtection ck = ContentProtection.clearKey(SampleMpds.KID, SampleMpds.LICENCE_URL);
        String fragment = MpdWriter.writeContentProtection(ck, 3);
        assertTrue(MpdWriter.write(SampleMpds.protectedMpd()).contains(fragment), fragment);
        assertEquals("<ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\" value=\"ClearKey1.0\""
                + " cenc:default_KID=\"" + SampleMpds.KID + "\">\n"
                + "  <dashif:Laurl>https://l.example/?a=1&amp;b=&lt;2&gt;</dashif:Laurl>\n"
                + "  <clearkey:Laurl Lic_type=\"EME-1.0\">https://l.example/?a=1&amp;b=&lt;2&gt;</clearkey:Laurl>\n"
                + "</ContentProtection>\n",
                MpdWriter.writeContentProtection(ContentProtection.clearKey(SampleMpds.KID, "https://l.example/?a=1&b=<2>"), 0));
        assertEquals("    <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\" cenc:default_KID=\""
                + SampleMpds.KID + "\"/>\n",
                MpdWriter.writeContentProtection(ContentProtection.mp4Protection(EncryptionScheme.CENC, SampleMpds.KID), 2));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MpdWriter.writeContentProtection(ck, -1));
    }
}
