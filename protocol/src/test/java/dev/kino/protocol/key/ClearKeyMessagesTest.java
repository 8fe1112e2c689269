package dev.kino.protocol.key;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClearKeyMessagesTest {

    private static final KeyId KID1 = KeyId.fromBase64Url("nrQFDeRLSAKTLifXUIPiZg");
    private static final KeyId KID2 = KeyId.fromBase64Url("AAECAwQFBgcICQoLDA0ODw");
    private static final ContentKey KEY1 = ContentKey.fromBase64Url("FmY0xnWCPCNaSpRG-tUuTQ");
    private static final ContentKey KEY2 = ContentKey.fromBase64Url("GoogleTestKeyBase64ggg");

    private static void rejectsRequest(String messagePart, String json) {
        LicenceMessageException e = assertThrows(LicenceMessageException.class,
                () -> ClearKeyLicenceRequest.parse(json), json);
        assertTrue(e.getMessage().contains(messagePart), "expected '" + messagePart + "' in: " + e.getMessage());
    }

    private static void rejectsResponse(String messagePart, String json) {
        LicenceMessageException e = assertThrows(LicenceMessageException.class,
                () -> ClearKeyLicenceResponse.parse(json), json);
        assertTrue(e.getMessage().contains(messagePart), "expected '" + messagePart + "' in: " + e.getMessage());
    }

    // ---- request ----

    @Test
    void parsesWhatBrowsersSend() {
        // Chrome's Clear Key CDM: compact JSON, unpadded base64url, type "temporary".
        ClearKeyLicenceRequest r = ClearKeyLicenceRequest.parse(
                "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\",\"AAECAwQFBgcICQoLDA0ODw\"],\"type\":\"temporary\"}");
        assertEquals(List.of(KID1, KID2), r.kids());
        assertEquals(ClearKeySessionType.TEMPORARY, r.type());
        // Firefox: whitespace, other member order.
        r = ClearKeyLicenceRequest.parse("{ \"type\" : \"persistent-license\",\n \"kids\" : [ \"nrQFDeRLSAKTLifXUIPiZg\" ] }");
        assertEquals(List.of(KID1), r.kids());
        assertEquals(ClearKeySessionType.PERSISTENT_LICENSE, r.type());
        // Bytes as received over HTTP.
        r = ClearKeyLicenceRequest.parse("{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\"]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(ClearKeySessionType.TEMPORARY, r.type(), "missing type means temporary");
    }

    @Test
    void requestRoundTrip() {
        ClearKeyLicenceRequest r = ClearKeyLicenceRequest.temporary(List.of(KID1, KID2));
        String json = r.toJson();
        assertEquals("{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\",\"AAECAwQFBgcICQoLDA0ODw\"],\"type\":\"temporary\"}", json);
        assertFalse(json.contains("="), "no padding");
        assertEquals(r, ClearKeyLicenceRequest.parse(json));
    }

    @Test
    void toleratesUnknownMembersPaddingAndDuplicateKids() {
        ClearKeyLicenceRequest r = ClearKeyLicenceRequest.parse(
                "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg==\",\"nrQFDeRLSAKTLifXUIPiZg\"],\"type\":\"temporary\",\"x\":1}");
        assertEquals(List.of(KID1), r.kids());
    }

    @Test
    void rejectsMalformedRequests() {
        rejectsRequest("not valid JSON", "{\"kids\":[");
        rejectsRequest("licence request is empty", "");
        rejectsRequest("licence request is empty", " \n");
        rejectsRequest("not valid JSON", "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\"]} trailing");
        rejectsRequest("not valid JSON", "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\"],\"kids\":[]}");
        rejectsRequest("must be a JSON object", "[\"nrQFDeRLSAKTLifXUIPiZg\"]");
        rejectsRequest("must be a JSON object", "null");
        rejectsRequest("no \"kids\"", "{\"type\":\"temporary\"}");
        rejectsRequest("\"kids\" must be an array", "{\"kids\":\"nrQFDeRLSAKTLifXUIPiZg\"}");
        rejectsRequest("\"kids\" is empty", "{\"kids\":[]}");
        rejectsRequest("\"kids\"[0] must be a string", "{\"kids\":[42]}");
        rejectsRequest("\"kids\"[1]: key ID must be 16 bytes, got 15",
                "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\",\"AAAAAAAAAAAAAAAAAAAA\"]}");
        rejectsRequest("\"kids\"[0]: not base64url", "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg+\"]}");
        rejectsRequest("\"kids\"[0]: not base64url", "{\"kids\":[\"nrQFDeRLSAKTLifX/IPiZg\"]}");
        rejectsRequest("unknown session type \"persistent-usage-record\"",
                "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\"],\"type\":\"persistent-usage-record\"}");
        rejectsRequest("\"type\" must be a string", "{\"kids\":[\"nrQFDeRLSAKTLifXUIPiZg\"],\"type\":1}");
        rejectsRequest("too large", "{\"kids\":[\"" + "A".repeat(20_000) + "\"]}");
        assertThrows(LicenceMessageException.class, () -> ClearKeyLicenceRequest.parse(new byte[] {'{', (byte) 0xff, '}'}));
        assertThrows(LicenceMessageException.class, () -> ClearKeyLicenceRequest.parse((String) null));
    }

    @Test
    void capsTheNumberOfKids() {
        StringBuilder ok = new StringBuilder("{\"kids\":[");
        List<KeyId> kids = new ArrayList<>();
        for (int i = 0; i < ClearKeyLicenceRequest.MAX_KIDS; i++) {
            byte[] b = new byte[16];
            b[15] = (byte) i;
            kids.add(KeyId.of(b));
            ok.append(i == 0 ? "" : ",").append('"').append(KeyId.of(b).toBase64Url()).append('"');
        }
        assertEquals(64, ClearKeyLicenceRequest.parse(ok + "]}").kids().size());
        rejectsRequest("at most 64", ok + ",\"nrQFDeRLSAKTLifXUIPiZg\"]}");
        kids.add(KID1);
        assertThrows(IllegalArgumentException.class, () -> ClearKeyLicenceRequest.temporary(kids));
        assertThrows(IllegalArgumentException.class, () -> ClearKeyLicenceRequest.temporary(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ClearKeyLicenceRequest.temporary(List.of(KID1, KID1)));
    }

    // ---- response ----

    @Test
    void responseMatchesGoldenAndRoundTrips() throws IOException {
        ClearKeyLicenceResponse r = new ClearKeyLicenceResponse(
                List.of(new ClearKeyLicenceResponse.Key(KID1, KEY1), new ClearKeyLicenceResponse.Key(KID2, KEY2)),
                ClearKeySessionType.TEMPORARY);
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/key/licence-response.json")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertEquals(golden, r.toJson());
        assertEquals(golden, new String(r.toJsonBytes(), StandardCharsets.UTF_8));
        ClearKeyLicenceResponse back = ClearKeyLicenceResponse.parse(golden);
        assertEquals(r, back);
        assertEquals(KEY1, back.keys().get(0).key());
        assertEquals(KID2, back.keys().get(1).kid());
    }

    @Test
    void parsesLicencesWithExtraMembersAndNoType() {
        ClearKeyLicenceResponse r = ClearKeyLicenceResponse.parse(
                "{\"keys\":[{\"kty\":\"oct\",\"alg\":\"A128KW\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\","
                        + "\"k\":\"FmY0xnWCPCNaSpRG-tUuTQ\"}]}");
        assertEquals(ClearKeySessionType.TEMPORARY, r.type());
        assertEquals(KEY1, r.keys().get(0).key());
        assertEquals(0, ClearKeyLicenceResponse.parse("{\"keys\":[],\"type\":\"temporary\"}").keys().size());
    }

    @Test
    void rejectsMalformedLicences() {
        rejectsResponse("not valid JSON", "{");
        rejectsResponse("must have a \"keys\" array", "{\"type\":\"temporary\"}");
        rejectsResponse("must have a \"keys\" array", "{\"keys\":{}}");
        rejectsResponse("\"keys\"[0] must be an object", "{\"keys\":[\"x\"]}");
        rejectsResponse("\"keys\"[0].kty must be \"oct\"",
                "{\"keys\":[{\"kty\":\"RSA\",\"k\":\"FmY0xnWCPCNaSpRG-tUuTQ\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"}]}");
        rejectsResponse("\"keys\"[0].kty must be \"oct\"",
                "{\"keys\":[{\"k\":\"FmY0xnWCPCNaSpRG-tUuTQ\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"}]}");
        rejectsResponse("\"keys\"[0].k must be a string", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"}]}");
        rejectsResponse("\"keys\"[0].kid: key ID must be 16 bytes",
                "{\"keys\":[{\"kty\":\"oct\",\"k\":\"FmY0xnWCPCNaSpRG-tUuTQ\",\"kid\":\"AAAA\"}]}");
        rejectsResponse("\"keys\"[0].k: content key must be 16 bytes",
                "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"}]}");
        rejectsResponse("\"keys\"[1].kid repeats", "{\"keys\":["
                + "{\"kty\":\"oct\",\"k\":\"FmY0xnWCPCNaSpRG-tUuTQ\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"},"
                + "{\"kty\":\"oct\",\"k\":\"FmY0xnWCPCNaSpRG-tUuTQ\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"}]}");
        rejectsResponse("unknown session type", "{\"keys\":[],\"type\":\"forever\"}");
    }

    @Test
    void licenceErrorMessagesDoNotLeakKeyMaterial() {
        String badKey = "FmY0xnWCPCNaSpRG-tUuT+";
        LicenceMessageException e = assertThrows(LicenceMessageException.class, () -> ClearKeyLicenceResponse.parse(
                "{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + badKey + "\",\"kid\":\"nrQFDeRLSAKTLifXUIPiZg\"}]}"));
        assertFalse(e.getMessage().contains("FmY0xnWC"), e.getMessage());
    }

    @Test
    void responseValidation() {
        assertThrows(IllegalArgumentException.class, () -> new ClearKeyLicenceResponse(
                List.of(new ClearKeyLicenceResponse.Key(KID1, KEY1), new ClearKeyLicenceResponse.Key(KID1, KEY2)),
                ClearKeySessionType.TEMPORARY));
        assertThrows(NullPointerException.class, () -> new ClearKeyLicenceResponse.Key(KID1, null));
        assertThrows(NullPointerException.class, () -> new ClearKeyLicenceResponse(List.of(), null));
    }
}
