package dev.kino.control.account;

import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Avatars: an image is checked, cropped, scaled and re-encoded; nothing else is kept or served. */
class AvatarTest {
    final Http http = TestApi.http();

    static byte[] png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    Http.Resp upload(TestApi.User u, byte[] body, String type) {
        return http.send(http.builder("/api/v1/me/avatar", u.accessToken()).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void anImageIsStoredAsASquarePngAndServedAsOne() throws Exception {
        TestApi.User u = TestApi.newUser();
        byte[] jpeg = png(800, 600);
        assertEquals(204, upload(u, jpeg, "image/jpeg").status());
        HttpResponse<byte[]> r = http.sendBytes(http.builder("/api/v1/users/" + u.username() + "/avatar", null).GET());
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
        BufferedImage served = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(Avatars.SIZE, served.getWidth());
        assertEquals(Avatars.SIZE, served.getHeight());
        assertFalse(java.util.Arrays.equals(jpeg, r.body()), "never the uploaded bytes");
        assertEquals("/api/v1/users/" + u.username() + "/avatar",
                http.get("/api/v1/me", u.accessToken()).json().get("avatarUrl").asText());
        assertEquals(204, http.delete("/api/v1/me/avatar", u.accessToken()).status());
        assertEquals(404, http.get("/api/v1/users/" + u.username() + "/avatar", null).status());
    }

    @Test
    void whatIsNotAnImageOrIsTooLargeIsRefusedBeforeDecoding() throws Exception {
        TestApi.User u = TestApi.newUser();
        Http.Resp text = upload(u, "<svg onload=alert(1)>".getBytes(), "image/svg+xml");
        assertEquals(422, text.status(), text.text());
        assertTrue(text.text().contains("avatar"), text.text());
        // a PNG whose header claims 50000x50000 pixels (a decompression bomb): refused from the header
        Http.Resp bomb = upload(u, pngHeader(50_000, 50_000), "image/png");
        assertEquals(422, bomb.status(), bomb.text());
        assertTrue(bomb.text().contains("4096"), bomb.text());
        assertEquals(401, http.send(http.builder("/api/v1/me/avatar", null).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png(10, 10)))).status());
    }

    /** The signature and an IHDR chunk with these dimensions (and a valid CRC), nothing else. */
    static byte[] pngHeader(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
