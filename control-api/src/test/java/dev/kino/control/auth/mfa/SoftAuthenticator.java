package dev.kino.control.auth.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.control.http.Json;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A software WebAuthn authenticator for tests: one EC P-256 credential (ES256), {@code none} attestation, and
 * assertions signed over {@code authenticatorData || SHA-256(clientDataJSON)} (WebAuthn Level 3 §6.3.3), with the
 * byte layouts of §6.1 (authenticator data) and §6.5.1 (attested credential data) and the COSE_Key of RFC 9053 §7.1.
 * It answers what {@code navigator.credentials.create/get} would, as the JSON of {@code PublicKeyCredential.toJSON()}.
 */
final class SoftAuthenticator {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    final String origin;
    final byte[] credentialId = new byte[16];
    private final KeyPair keys;
    private byte[] userHandle;
    private int counter;

    SoftAuthenticator(String origin) {
        this.origin = origin;
        new SecureRandom().nextBytes(credentialId);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    KeyPair keys() {
        return keys;
    }

    String id() {
        return B64.encodeToString(credentialId);
    }

    /** Answers creation options ({@code publicKey} of the server's options). */
    ObjectNode create(JsonNode options) {
        String rpId = options.get("rp").get("id").asText();
        userHandle = UNB64.decode(options.get("user").get("id").asText());
        byte[] clientData = clientData("webauthn.create", options.get("challenge").asText(), origin);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(0x45); // UP | UV | AT
        authData.writeBytes(ByteBuffer.allocate(4).putInt(counter).array());
        authData.writeBytes(new byte[16]); // AAGUID: none
        authData.writeBytes(ByteBuffer.allocate(2).putShort((short) credentialId.length).array());
        authData.writeBytes(credentialId);
        authData.writeBytes(coseKey());
        Map<Object, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", new LinkedHashMap<>());
        attestation.put("authData", authData.toByteArray());
        ObjectNode c = Json.MAPPER.createObjectNode().put("type", "public-key").put("id", id()).put("rawId", id());
        ObjectNode r = c.putObject("response");
        r.put("clientDataJSON", B64.encodeToString(clientData));
        r.put("attestationObject", B64.encodeToString(cbor(attestation)));
        r.putArray("transports").add("internal");
        c.putObject("clientExtensionResults");
        return c;
    }

    /** Answers request options as the registered credential. */
    ObjectNode get(JsonNode options) {
        return get(options, origin, keys);
    }

    /** Answers request options, optionally from another origin or signing with another key (forgeries). */
    ObjectNode get(JsonNode options, String fromOrigin, KeyPair signer) {
        String rpId = options.get("rpId").asText();
        byte[] clientData = clientData("webauthn.get", options.get("challenge").asText(), fromOrigin);
        counter++;
        byte[] authData = ByteBuffer.allocate(37).put(sha256(rpId.getBytes(StandardCharsets.UTF_8)))
                .put((byte) 0x05).putInt(counter).array(); // UP | UV
        byte[] signature;
        try {
            Signature s = Signature.getInstance("SHA256withECDSA"); // DER, as WebAuthn's ES256 signatures are
            s.initSign(signer.getPrivate());
            s.update(authData);
            s.update(sha256(clientData));
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode c = Json.MAPPER.createObjectNode().put("type", "public-key").put("id", id()).put("rawId", id());
        ObjectNode r = c.putObject("response");
        r.put("clientDataJSON", B64.encodeToString(clientData));
        r.put("authenticatorData", B64.encodeToString(authData));
        r.put("signature", B64.encodeToString(signature));
        r.put("userHandle", B64.encodeToString(userHandle));
        c.putObject("clientExtensionResults");
        return c;
    }

    static KeyPair otherKey() {
        return new SoftAuthenticator("x").keys;
    }

    private static byte[] clientData(String type, String challenge, String origin) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] coseKey() {
        ECPublicKey pub = (ECPublicKey) keys.getPublic();
        Map<Object, Object> k = new LinkedHashMap<>();
        k.put(1L, 2L);   // kty: EC2
        k.put(3L, -7L);  // alg: ES256
        k.put(-1L, 1L);  // crv: P-256
        k.put(-2L, coordinate(pub.getW().getAffineX()));
        k.put(-3L, coordinate(pub.getW().getAffineY()));
        return cbor(k);
    }

    private static byte[] coordinate(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The few CBOR (RFC 8949) items WebAuthn needs: integers, byte and text strings, maps. */
    static byte[] cbor(Object item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, item);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object item) {
        if (item instanceof Long n) {
            head(out, n >= 0 ? 0 : 1, n >= 0 ? n : -1 - n);
        } else if (item instanceof byte[] b) {
            head(out, 2, b.length);
            out.writeBytes(b);
        } else if (item instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(out, 3, b.length);
            out.writeBytes(b);
        } else if (item instanceof Map<?, ?> m) {
            head(out, 5, m.size());
            m.forEach((k, v) -> {
                write(out, k);
                write(out, v);
            });
        } else {
            throw new IllegalArgumentException(String.valueOf(item));
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long value) {
        if (value < 24) {
            out.write((major << 5) | (int) value);
        } else if (value < 256) {
            out.write((major << 5) | 24);
            out.write((int) value);
        } else {
            out.write((major << 5) | 25);
            out.writeBytes(Arrays.copyOfRange(ByteBuffer.allocate(4).putInt((int) value).array(), 2, 4));
        }
    }
}
