package dev.kino.media.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.media.MediaException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The W3C EME ClearKey licence exchange (Encrypted Media Extensions §9.1.3 and §9.1.4): request
 * {@code {"kids":["<base64url kid>",…],"type":"temporary"}}, response
 * {@code {"keys":[{"kty":"oct","k":"<base64url key>","kid":"<base64url kid>"}],"type":"temporary"}}.
 * Only {@code cenc} keys of the requested title are ever returned; kids of other titles are simply absent.
 */
public final class ClearKeyLicense {
    /** Largest licence request body accepted, bytes. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;
    private static final int MAX_KIDS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClearKeyLicense() {
    }

    /**
     * @param body the request JSON
     * @return requested kids as 32 lowercase hex digits
     * @throws MediaException 400 when the body is not a ClearKey licence request
     */
    public static List<String> parseRequest(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw badRequest("the licence request is not JSON");
        }
        if (root == null || !root.path("kids").isArray() || root.path("kids").isEmpty()
                || root.path("kids").size() > MAX_KIDS) {
            throw badRequest("the licence request needs a \"kids\" array of 1 to " + MAX_KIDS + " key ids");
        }
        List<String> kids = new ArrayList<>();
        for (JsonNode k : root.path("kids")) {
            byte[] kid;
            try {
                kid = Base64.getUrlDecoder().decode(k.asText().replace("=", ""));
            } catch (IllegalArgumentException e) {
                throw badRequest("a key id is not base64url");
            }
            if (kid.length != 16) {
                throw badRequest("a key id is not 16 bytes");
            }
            kids.add(HexFormat.of().formatHex(kid));
        }
        return kids;
    }

    /**
     * @param requested kids (hex) from {@link #parseRequest}
     * @param titleKeys the title's keys
     * @return the licence JSON with the requested {@code cenc} keys this title has
     * @throws MediaException 404 when the title has none of them
     */
    public static byte[] response(List<String> requested, Map<String, TitleKeys.ContentKey> titleKeys) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (String kid : requested) {
            TitleKeys.ContentKey k = titleKeys.get(kid);
            if (k != null && k.scheme().equals("cenc")) {
                keys.addObject().put("kty", "oct").put("k", b64.encodeToString(k.key()))
                        .put("kid", b64.encodeToString(HexFormat.of().parseHex(kid)));
            }
        }
        if (keys.isEmpty()) {
            throw new MediaException(404, "no-such-key", "No such key", "this title has none of the requested keys");
        }
        root.put("type", "temporary");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MediaException badRequest(String detail) {
        return new MediaException(400, "bad-licence-request", "Malformed licence request", detail);
    }
}
