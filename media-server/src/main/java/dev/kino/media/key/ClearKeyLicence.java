package dev.kino.media.key;

import dev.kino.media.MediaException;
import dev.kino.protocol.key.ClearKeyLicenceRequest;
import dev.kino.protocol.key.ClearKeySessionType;
import dev.kino.protocol.key.ClearKeyLicenceResponse;
import dev.kino.protocol.key.ContentKey;
import dev.kino.protocol.key.KeyId;
import dev.kino.protocol.key.LicenceMessageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The W3C EME ClearKey licence exchange (EME §9.1.3 and §9.1.4), with the message types of
 * {@code dev.kino.protocol.key}: request {@code {"kids":["<base64url kid>",…],"type":"temporary"}}, response
 * {@code {"keys":[{"kty":"oct","k":"<base64url key>","kid":"<base64url kid>"}],"type":"temporary"}}.
 * Only {@code cenc} keys of the requested title are ever returned; kids of other titles are simply absent,
 * and a request naming none of the title's keys is a 404.
 */
public final class ClearKeyLicence {
    /** Largest licence request body accepted, bytes. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;

    private ClearKeyLicence() {
    }

    /**
     * @param body the request JSON
     * @return the parsed request
     * @throws MediaException 400 when the body is not a ClearKey licence request
     */
    public static ClearKeyLicenceRequest parseRequest(byte[] body) {
        try {
            return ClearKeyLicenceRequest.parse(body);
        } catch (LicenceMessageException e) {
            throw new MediaException(400, "bad-licence-request", "Malformed licence request", e.getMessage());
        }
    }

    /**
     * A {@code persistent-license} session (EME §3.2) lets the CDM store the keys beyond the grant's lifetime: only a
     * grant that allows offline viewing (the plan's choice, carried in the token) gets one.
     *
     * @param request the parsed request
     * @param offlineAllowed the token's offline claim
     * @throws MediaException 403 {@code offline-not-allowed} for a persistent-license request without it
     */
    public static void requireAllowed(ClearKeyLicenceRequest request, boolean offlineAllowed) {
        if (request.type() == ClearKeySessionType.PERSISTENT_LICENSE && !offlineAllowed) {
            throw new MediaException(403, "offline-not-allowed", "Offline licences not allowed",
                    "this playback grant allows temporary licences only; ask for \"type\":\"temporary\"");
        }
    }

    /**
     * @param request the parsed request
     * @param titleKeys the title's keys by hex kid
     * @return the licence JSON with the requested {@code cenc} keys this title has
     * @throws MediaException 404 when the title has none of them
     */
    public static byte[] response(ClearKeyLicenceRequest request, Map<String, TitleKeys.TitleKey> titleKeys) {
        List<ClearKeyLicenceResponse.Key> keys = new ArrayList<>();
        for (KeyId kid : request.kids()) {
            TitleKeys.TitleKey k = titleKeys.get(kid.toHex());
            if (k != null && k.scheme().equals("cenc")) {
                keys.add(new ClearKeyLicenceResponse.Key(kid, ContentKey.of(k.key())));
            }
        }
        if (keys.isEmpty()) {
            throw new MediaException(404, "no-such-key", "No such key", "this title has none of the requested keys");
        }
        return new ClearKeyLicenceResponse(keys, request.type()).toJsonBytes();
    }
}
