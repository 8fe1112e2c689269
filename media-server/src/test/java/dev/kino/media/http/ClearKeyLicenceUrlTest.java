package dev.kino.media.http;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.WrappedKey;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.media.MediaFixture;
import dev.kino.media.file.MpdLicenceUrlTest;
import dev.kino.protocol.dash.ContentProtection;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.TitleId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protected MPDs, whose DASH-IF ClearKey ContentProtection the packager writes with the licence URL relative to
 * the MPD ({@value MediaPaths#CLEARKEY_LICENCE}), are served with the absolute licence URL of the request's token
 * ({@code media.publicUrl} + {@link MediaPaths#clearKeyLicence}) in its place; MPDs without it are served as they
 * are. A real server on 127.0.0.1:0 ({@link MediaFixture}, publicUrl {@code http://127.0.0.1}) with extra titles:
 * {@code p1} (a cenc key, the MPD as the packager writes it), {@code c1} (a clear MPD) and {@code p2} (an MPD
 * without the placeholder).
 */
class ClearKeyLicenceUrlTest {
    static final UUID KID = UUID.fromString("55555555-5555-5555-5555-555555555555");
    static final String MPD = MpdLicenceUrlTest.packagedMpd(KID);
    static final String CLEAR = MpdLicenceUrlTest.clearMpd();
    static final String ODD = "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" "
            + "xmlns:cenc=\"urn:mpeg:cenc:2013\"><Period><AdaptationSet><ContentProtection "
            + "schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\"/></AdaptationSet></Period>\n"; // truncated

    @TempDir
    static Path root;
    static MediaFixture m;

    @BeforeAll
    static void start() throws IOException {
        m = MediaFixture.start(root);
        ContentKeyWrapper w = new ContentKeyWrapper(MediaFixture.KEK);
        byte[] keys = WrappedKeyFile.write(List.of(new WrappedKey(KID.toString().replace("-", ""), "cenc",
                w.wrap(MediaFixture.filled(16, 0x55)))), w.fingerprint());
        Path p1 = Files.createDirectories(root.resolve("p1"));
        Files.writeString(p1.resolve("manifest.mpd"), MPD);
        Files.write(p1.resolve(WrappedKeyFile.FILE_NAME), keys);
        Path c1 = Files.createDirectories(root.resolve("c1"));
        Files.writeString(c1.resolve("manifest.mpd"), CLEAR);
        Path p2 = Files.createDirectories(root.resolve("p2"));
        Files.writeString(p2.resolve("manifest.mpd"), ODD);
        Files.write(p2.resolve(WrappedKeyFile.FILE_NAME), keys);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static String h(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String licenceUrl(String token, String title) {
        return "http://127.0.0.1" + MediaPaths.clearKeyLicence(token, TitleId.of(title));
    }

    private static String mpdPath(String token, String title) {
        return MediaPaths.dashManifest(token, TitleId.of(title));
    }

    @Test
    void protectedMpdCarriesTheLicenceUrlOfTheRequestToken() throws Exception {
        String token = m.token("p1");
        HttpResponse<byte[]> r = m.get(mpdPath(token, "p1"));
        assertEquals(200, r.statusCode());
        assertEquals("application/dash+xml", h(r, "content-type"));
        assertEquals("public, max-age=2", h(r, "cache-control"), "the playlist policy");
        assertEquals(String.valueOf(r.body().length), h(r, "content-length"));
        assertTrue(h(r, "vary").contains("Accept-Encoding"));
        assertEquals("bytes", h(r, "accept-ranges"));
        assertNull(h(r, "content-encoding"));

        String url = licenceUrl(token, "p1");
        assertTrue(url.startsWith("http://127.0.0.1/v/" + token + "/p1/license/clearkey"));
        List<List<String[]>> sets = MpdLicenceUrlTest.protections(MpdLicenceUrlTest.parse(r.body()));
        assertEquals(3, sets.size());
        for (List<String[]> cps : sets.subList(0, 2)) {
            List<String[]> clearKey = cps.stream().filter(c -> c[0].equals(ContentProtection.DASHIF_CLEARKEY_SCHEME)).toList();
            assertEquals(1, clearKey.size());
            assertEquals(url, clearKey.get(0)[1], "dashif:Laurl");
            assertEquals(url, clearKey.get(0)[2], "clearkey:Laurl");
            assertEquals(KID.toString(), clearKey.get(0)[3]);
        }
        assertTrue(sets.get(2).isEmpty());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(MPD.replace(">license/clearkey<", ">" + url + "<"), body, "the rest is the file, byte for byte");

        // another viewer: another URL, another entity tag; the same token again: the same tag
        String other = m.signer.sign(MediaFixture.claims("p1")
                .validFor(java.time.Instant.now().minusSeconds(60), java.time.Duration.ofMinutes(5)).build());
        assertNotEquals(token, other);
        HttpResponse<byte[]> r2 = m.get(mpdPath(other, "p1"));
        assertTrue(new String(r2.body(), StandardCharsets.UTF_8).contains(licenceUrl(other, "p1")));
        assertNotEquals(h(r, "etag"), h(r2, "etag"));
        assertEquals(h(r, "etag"), h(m.get(mpdPath(token, "p1")), "etag"));
    }

    @Test
    void entityTagIsStrongAndItsOwn() throws Exception {
        String token = m.token("p1");
        String path = mpdPath(token, "p1");
        String etag = h(m.get(path), "etag");
        assertTrue(etag.matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-ck[0-9a-f]{16}\""), etag);
        String fileTag = etag.replaceFirst("-ck[0-9a-f]{16}\"$", "\"");
        assertEquals(fileTag.replace("\"", "").split("-")[0], Long.toHexString(MPD.length()), "file size in the tag");

        HttpResponse<byte[]> notModified = m.get(path, "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(etag, h(notModified, "etag"));
        assertEquals(0, notModified.body().length);
        assertEquals(200, m.get(path, "If-None-Match", fileTag).statusCode(), "the raw file's tag is another one");

        HttpResponse<byte[]> full = m.get(path);
        HttpResponse<byte[]> head = m.send("HEAD", path, null);
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(h(full, "content-length"), h(head, "content-length"));
        assertEquals(etag, h(head, "etag"));
        assertEquals("application/dash+xml", h(head, "content-type"));

        HttpResponse<byte[]> part = m.get(path, "Range", "bytes=10-109");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 10-109/" + full.body().length, h(part, "content-range"));
        assertEquals("100", h(part, "content-length"));
        assertArrayEquals(Arrays.copyOfRange(full.body(), 10, 110), part.body());
        HttpResponse<byte[]> tail = m.get(path, "Range", "bytes=-20", "If-Range", etag);
        assertArrayEquals(Arrays.copyOfRange(full.body(), full.body().length - 20, full.body().length), tail.body());
        assertEquals(200, m.get(path, "Range", "bytes=-20", "If-Range", fileTag).statusCode(), "If-Range with another tag");
        HttpResponse<byte[]> past = m.get(path, "Range", "bytes=" + full.body().length + "-");
        assertEquals(416, past.statusCode());
        assertEquals("bytes */" + full.body().length, h(past, "content-range"));
    }

    @Test
    void gzipOfTheRewrittenMpd() throws Exception {
        String token = m.token("p1");
        String path = mpdPath(token, "p1");
        HttpResponse<byte[]> identity = m.get(path);
        HttpResponse<byte[]> gz = m.get(path, "Accept-Encoding", "gzip");
        assertEquals(200, gz.statusCode());
        assertEquals("gzip", h(gz, "content-encoding"));
        assertEquals(String.valueOf(gz.body().length), h(gz, "content-length"));
        assertEquals(h(identity, "etag").replaceFirst("\"$", "-gz\""), h(gz, "etag"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertArrayEquals(identity.body(), in.readAllBytes());
        }
        assertEquals(304, m.get(path, "Accept-Encoding", "gzip", "If-None-Match", h(gz, "etag")).statusCode());
        HttpResponse<byte[]> head = m.send("HEAD", path, null, "Accept-Encoding", "gzip");
        assertEquals(h(gz, "content-length"), h(head, "content-length"));
        assertEquals(0, head.body().length);
    }

    @Test
    void clearTitleMpdIsTheFileByteForByte() throws Exception {
        String path = mpdPath(m.token("c1"), "c1");
        HttpResponse<byte[]> r = m.get(path);
        assertEquals(200, r.statusCode());
        assertArrayEquals(CLEAR.getBytes(StandardCharsets.UTF_8), r.body());
        assertTrue(h(r, "etag").matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\""), h(r, "etag"));
        assertEquals(304, m.get(path, "If-None-Match", h(r, "etag")).statusCode());
        HttpResponse<byte[]> gz = m.get(path, "Accept-Encoding", "gzip");
        assertEquals(h(r, "etag").replaceFirst("\"$", "-gz\""), h(gz, "etag"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertArrayEquals(r.body(), in.readAllBytes());
        }
    }

    @Test
    void mpdWithoutThePlaceholderIsServedAsItIs() throws Exception {
        HttpResponse<byte[]> odd = m.get(mpdPath(m.token("p2"), "p2"));
        assertEquals(200, odd.statusCode());
        assertArrayEquals(ODD.getBytes(StandardCharsets.UTF_8), odd.body());
        assertTrue(h(odd, "etag").matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\""), h(odd, "etag"));
        // t1 has a cenc key but its MPD has no licence URL: nothing to replace
        HttpResponse<byte[]> t1 = m.get(m.path("t1", "manifest.mpd"));
        assertEquals(200, t1.statusCode());
        assertArrayEquals(Files.readAllBytes(root.resolve("t1/manifest.mpd")), t1.body());
    }

    @Test
    void republishedMpdIsRewrittenAfresh() throws Exception {
        Path p3 = Files.createDirectories(root.resolve("p3"));
        Files.copy(root.resolve("p1/" + WrappedKeyFile.FILE_NAME), p3.resolve(WrappedKeyFile.FILE_NAME));
        Files.writeString(p3.resolve("manifest.mpd"), ODD);
        String token = m.token("p3");
        assertArrayEquals(ODD.getBytes(StandardCharsets.UTF_8), m.get(mpdPath(token, "p3")).body());
        Path tmp = p3.resolve("manifest.mpd.tmp");
        Files.writeString(tmp, MPD);
        Files.move(tmp, p3.resolve("manifest.mpd"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + 10_000_000_000L;
        String body;
        do {
            Thread.sleep(100);
            body = new String(m.get(mpdPath(token, "p3")).body(), StandardCharsets.UTF_8);
        } while (!body.contains("ClearKey1.0") && System.nanoTime() < deadline);
        assertTrue(body.contains(licenceUrl(token, "p3")), body);
    }
}
