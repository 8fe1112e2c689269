package dev.kino.control.auth.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.kino.common.state.BlockingSharedState;
import dev.kino.control.InvalidInputException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.LoginThrottle;
import dev.kino.control.auth.OpaqueTokens;
import dev.kino.control.http.Json;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Passkeys (W3C Web Authentication Level 3) through Yubico's {@code webauthn-server-core}: registration by a signed-in
 * account, and authentication either as the second factor of a password sign-in or as a passwordless sign-in (a
 * discoverable credential with user verification).
 *
 * <p>Each ceremony has two calls: the first answers {@code publicKey} options for {@code navigator.credentials.create}
 * or {@code .get} and a {@code ceremony} id; the request options (with their random challenge) wait in the shared
 * state under that id for {@link #CEREMONY_TTL} and are taken once by the second call, which hands the browser's
 * {@code PublicKeyCredential} to the library to verify (origin, RP ID hash, challenge, flags, signature, counter).
 *
 * <p>The relying party is the control API's public URL: its host is the RP ID, its origin the only origin accepted.
 * Attestation is not asked for ({@code none}): Kino trusts the account, not the authenticator model. WebAuthn user
 * handles are random 32 bytes per account (§14.6.1: never the account id or anything personal).
 */
public final class Passkeys {
    /** How long a ceremony's options may be answered. */
    public static final Duration CEREMONY_TTL = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY = "passkey:ceremony:";

    private final Jdbi jdbi;
    private final RelyingParty rp;
    private final BlockingSharedState state;
    private final SecondFactors factors;
    private final AuthService auth;
    private final LoginThrottle throttle;
    private final Clock clock;

    /**
     * @param publicUrl the control API's public URL ({@code control.publicUrl}): RP ID and origin
     */
    public Passkeys(Jdbi jdbi, String publicUrl, BlockingSharedState state, SecondFactors factors, AuthService auth,
                    LoginThrottle throttle, Clock clock) {
        this.jdbi = jdbi;
        this.state = state;
        this.factors = factors;
        this.auth = auth;
        this.throttle = throttle;
        this.clock = clock;
        URI url = URI.create(publicUrl);
        // NOTE: an IP address cannot be an RP ID (WebAuthn §5.1.3 takes a registrable domain; browsers refuse
        // 127.0.0.1), so a loopback public URL (development, the end-to-end tests) gets passkeys on "localhost"
        // at the same port, which browsers treat as a secure context as well.
        String host = url.getHost();
        if (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")) {
            host = "localhost";
        }
        String origin = url.getScheme() + "://" + host + (url.getPort() < 0 ? "" : ":" + url.getPort());
        this.rp = RelyingParty.builder()
                .identity(RelyingPartyIdentity.builder().id(host).name("Kino").build())
                .credentialRepository(new Repository())
                .origins(Set.of(origin))
                .clock(clock)
                .build();
    }

    // ---- API types ------------------------------------------------------------------------------------

    /**
     * @param ceremony the id to send back with the authenticator's answer
     * @param publicKey options for {@code navigator.credentials.create()} or {@code .get()} as JSON (byte strings
     *                  in base64url, as {@code PublicKeyCredential.parseCreationOptionsFromJSON} reads them)
     */
    public record Options(String ceremony, ObjectNode publicKey) {
    }

    /**
     * @param ceremony the id from the options
     * @param credential the {@code PublicKeyCredential} as JSON ({@code credential.toJSON()}: base64url byte strings)
     * @param name a name for the passkey in the list (registration only; default "Passkey")
     */
    public record RegistrationAnswer(String ceremony, ObjectNode credential, String name) {
    }

    /**
     * @param challenge the sign-in challenge of {@code POST /api/v1/auth/login} when the passkey is the second factor;
     *                  absent for a passwordless sign-in
     */
    public record AssertionStart(String challenge) {
    }

    /**
     * @param ceremony the id from the options
     * @param credential the {@code PublicKeyCredential} as JSON
     */
    public record AssertionAnswer(String ceremony, ObjectNode credential) {
    }

    /**
     * @param id the credential id, base64url: what {@code DELETE /api/v1/me/passkeys/{id}} takes
     * @param name the name given at registration
     * @param createdAt when it was registered
     * @param lastUsedAt when it last signed in, or absent
     */
    public record PasskeyView(String id, String name, Instant createdAt, Instant lastUsedAt) {
    }

    /**
     * @param passkey the passkey registered
     * @param recoveryCodes when it is the account's first second factor, its recovery codes (shown this once)
     */
    public record Registered(PasskeyView passkey, List<String> recoveryCodes) {
    }

    /** Ceremony state waiting in the shared state. */
    private record Pending(String kind, UUID account, String challenge, String request) {
    }

    // ---- registration ---------------------------------------------------------------------------------

    /** Starts registering a passkey for the caller. */
    public Options startRegistration(AuthenticatedUser user) {
        ByteArray handle = userHandle(user.accountId());
        PublicKeyCredentialCreationOptions options = rp.startRegistration(StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name(user.username()).displayName(user.username()).id(handle).build())
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .residentKey(ResidentKeyRequirement.PREFERRED)
                        .userVerification(UserVerificationRequirement.PREFERRED).build())
                .timeout(CEREMONY_TTL.toMillis())
                .build());
        try {
            return open(new Pending("register", user.accountId(), null, options.toJson()),
                    options.toCredentialsCreateJson());
        } catch (IOException e) {
            throw new IllegalStateException("creation options do not serialise", e);
        }
    }

    /**
     * Verifies the authenticator's answer and stores the passkey.
     *
     * @throws InvalidInputException ({@code ceremony}) when the ceremony is unknown, expired, used or another
     *                               account's; ({@code credential}) when the answer does not verify
     */
    public Registered finishRegistration(AuthenticatedUser user, RegistrationAnswer answer) {
        Validation v = new Validation();
        v.required("ceremony", answer.ceremony());
        v.check("credential", answer.credential() != null, "is required");
        v.throwIfInvalid();
        Pending p = take(answer.ceremony(), "register");
        if (!user.accountId().equals(p.account())) {
            throw InvalidInputException.of("ceremony", "is unknown, expired or already used");
        }
        RegistrationResult result;
        try {
            result = rp.finishRegistration(FinishRegistrationOptions.builder()
                    .request(PublicKeyCredentialCreationOptions.fromJson(p.request()))
                    .response(PublicKeyCredential.parseRegistrationResponseJson(answer.credential().toString()))
                    .build());
        } catch (RegistrationFailedException | IOException | RuntimeException e) {
            throw InvalidInputException.of("credential", "does not verify: " + reason(e));
        }
        String name = answer.name() == null || answer.name().isBlank() ? "Passkey"
                : answer.name().strip().substring(0, Math.min(64, answer.name().strip().length()));
        Instant now = clock.instant();
        ByteArray handle = userHandle(user.accountId());
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into passkeys (credential_id, account_id, user_handle, public_key_cose, signature_count,
                                              name, transports, discoverable, created_at)
                        values (:id, :a, :uh, :key, :count, :name, :transports, :disc, :now)""")
                .bind("id", result.getKeyId().getId().getBytes()).bind("a", user.accountId())
                .bind("uh", handle.getBytes()).bind("key", result.getPublicKeyCose().getBytes())
                .bind("count", result.getSignatureCount()).bind("name", name)
                .bind("transports", result.getKeyId().getTransports().orElse(new java.util.TreeSet<>()).stream()
                        .map(AuthenticatorTransport::getId).toArray(String[]::new))
                .bind("disc", result.isDiscoverable().orElse(null)).bind("now", SecondFactors.utc(now)).execute());
        factors.afterFactorRemoved(user.accountId()); // (re)reads the account's factors on this node
        SecondFactors.RecoveryCodesView codes = factors.recoveryCodesIfNone(user.accountId());
        auth.securityNotice(user.accountId(), "second-factor-added", "A passkey (" + name + ") was added to your account");
        return new Registered(new PasskeyView(result.getKeyId().getId().getBase64Url(), name, now, null),
                codes == null ? null : codes.recoveryCodes());
    }

    /** @return the caller's passkeys, newest first */
    public List<PasskeyView> list(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select credential_id, name, created_at, last_used_at from passkeys where account_id = :a
                        order by created_at desc, credential_id""")
                .bind("a", accountId)
                .map((rs, ctx) -> new PasskeyView(new ByteArray(rs.getBytes("credential_id")).getBase64Url(),
                        rs.getString("name"), rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject("last_used_at", java.time.OffsetDateTime.class))
                                .map(java.time.OffsetDateTime::toInstant).orElse(null)))
                .list());
    }

    /**
     * Removes one of the caller's passkeys, proven by a code, a recovery code or the password.
     *
     * @throws NotFoundException when the caller has no passkey of that id (another account's included)
     */
    public void remove(AuthenticatedUser user, String id, SecondFactors.RemoveRequest proof) {
        byte[] credentialId;
        try {
            credentialId = ByteArray.fromBase64Url(id).getBytes();
        } catch (Exception e) {
            throw new NotFoundException("no passkey " + id);
        }
        boolean mine = jdbi.withHandle(h -> h.createQuery(
                        "select exists (select 1 from passkeys where credential_id = :id and account_id = :a)")
                .bind("id", credentialId).bind("a", user.accountId()).mapTo(Boolean.class).one());
        if (!mine) {
            throw new NotFoundException("no passkey " + id);
        }
        factors.proveOwner(user.accountId(), proof);
        jdbi.useHandle(h -> h.createUpdate("delete from passkeys where credential_id = :id and account_id = :a")
                .bind("id", credentialId).bind("a", user.accountId()).execute());
        factors.afterFactorRemoved(user.accountId());
        auth.securityNotice(user.accountId(), "second-factor-removed", "A passkey was removed from your account");
    }

    // ---- authentication -------------------------------------------------------------------------------

    /**
     * Starts an assertion: for the account of a sign-in challenge (its passkeys listed), or passwordless (any
     * discoverable passkey of this site, with user verification required).
     *
     * @throws InvalidTokenException when the sign-in challenge is unknown, expired or used
     */
    public Options startAssertion(AssertionStart start, String ip) {
        throttle.attemptFrom(ip);
        String challenge = start == null ? null : start.challenge();
        StartAssertionOptions.StartAssertionOptionsBuilder b = StartAssertionOptions.builder()
                .timeout(CEREMONY_TTL.toMillis());
        UUID account = null;
        if (challenge != null) {
            account = factors.challengeAccount(challenge).orElseThrow(() -> new InvalidTokenException(
                    "the sign-in challenge is unknown, expired or already used: sign in with your password again",
                    false));
            b.userHandle(userHandle(account)).userVerification(UserVerificationRequirement.PREFERRED);
        } else {
            b.userVerification(UserVerificationRequirement.REQUIRED);
        }
        AssertionRequest request = rp.startAssertion(b.build());
        try {
            return open(new Pending(challenge != null ? "second-factor" : "passwordless", account, challenge,
                    request.toJson()), request.toCredentialsGetJson());
        } catch (IOException e) {
            throw new IllegalStateException("assertion options do not serialise", e);
        }
    }

    /**
     * Verifies an assertion and completes the sign-in it was for.
     *
     * @return the sign-in completed: the account, for {@link AuthService#signIn}
     * @throws InvalidInputException when the ceremony is unknown or the assertion does not verify
     * @throws InvalidTokenException when the sign-in challenge it answers is gone
     */
    public UUID finishAssertion(AssertionAnswer answer, String ip) {
        Validation v = new Validation();
        v.required("ceremony", answer.ceremony());
        v.check("credential", answer.credential() != null, "is required");
        v.throwIfInvalid();
        throttle.attemptFrom(ip);
        Pending p = take(answer.ceremony(), null);
        if (p.kind().equals("register")) {
            throw InvalidInputException.of("ceremony", "is unknown, expired or already used");
        }
        AssertionResult result;
        try {
            result = rp.finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(p.request()))
                    .response(PublicKeyCredential.parseAssertionResponseJson(answer.credential().toString()))
                    .build());
        } catch (AssertionFailedException | IOException | RuntimeException e) {
            throw InvalidInputException.of("credential", "does not verify: " + reason(e));
        }
        if (!result.isSuccess()) {
            throw InvalidInputException.of("credential", "does not verify");
        }
        UUID account = accountOfHandle(result.getCredential().getUserHandle())
                .orElseThrow(() -> InvalidInputException.of("credential", "is not a passkey of any account"));
        if (p.account() != null && !p.account().equals(account)) {
            // a passkey of another account cannot answer this account's challenge
            throw InvalidInputException.of("credential", "is not a passkey of the account signing in");
        }
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("""
                        update passkeys set signature_count = :count, last_used_at = :now
                        where credential_id = :id""")
                .bind("count", result.getSignatureCount()).bind("now", SecondFactors.utc(now))
                .bind("id", result.getCredentialId().getBytes()).execute());
        if (p.challenge() != null) {
            return factors.finish(p.challenge(), h -> true).accountId();
        }
        return account;
    }

    // ---- ceremonies in the shared state ---------------------------------------------------------------

    private Options open(Pending pending, String publicKeyJson) {
        String id = OpaqueTokens.generate();
        try {
            state.put(KEY + id, Json.MAPPER.writeValueAsString(pending), CEREMONY_TTL);
            JsonNode options = Json.MAPPER.readTree(publicKeyJson);
            return new Options(id, (ObjectNode) options.get("publicKey"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes a ceremony once: of two concurrent answers only the one whose delete removed it goes on. */
    private Pending take(String ceremony, String kind) {
        String key = KEY + ceremony;
        Optional<String> json = state.get(key);
        if (json.isEmpty() || !state.delete(key)) {
            throw InvalidInputException.of("ceremony", "is unknown, expired or already used");
        }
        try {
            Pending p = Json.MAPPER.readValue(json.get(), Pending.class);
            if (kind != null && !kind.equals(p.kind())) {
                throw InvalidInputException.of("ceremony", "is unknown, expired or already used");
            }
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("ceremony state is unreadable", e);
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.length() > 200 ? m.substring(0, 200) : m;
    }

    // ---- user handles and the library's credential repository -----------------------------------------

    /** @return the account's WebAuthn user handle, made on first use */
    ByteArray userHandle(UUID accountId) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        return new ByteArray(jdbi.withHandle(h -> {
            h.createUpdate("insert into passkey_user_handles (account_id, user_handle) values (:a, :h)"
                            + " on conflict (account_id) do nothing")
                    .bind("a", accountId).bind("h", fresh).execute();
            return h.createQuery("select user_handle from passkey_user_handles where account_id = :a")
                    .bind("a", accountId).mapTo(byte[].class).one();
        }));
    }

    private Optional<UUID> accountOfHandle(ByteArray handle) {
        return jdbi.withHandle(h -> h.createQuery("select account_id from passkey_user_handles where user_handle = :h")
                .bind("h", handle.getBytes()).mapTo(UUID.class).findOne());
    }

    /** What the library reads of stored credentials. "Username" is the account's username, as the RP shows it. */
    private final class Repository implements CredentialRepository {
        @Override
        public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
            return jdbi.withHandle(h -> h.createQuery("""
                            select k.credential_id, k.transports from passkeys k join accounts a on a.id = k.account_id
                            where lower(a.username) = lower(:u)""")
                    .bind("u", username)
                    .map((rs, ctx) -> descriptor(rs.getBytes(1), (String[]) rs.getArray(2).getArray()))
                    .collect(Collectors.toSet()));
        }

        @Override
        public Optional<ByteArray> getUserHandleForUsername(String username) {
            return jdbi.withHandle(h -> h.createQuery("""
                            select u.user_handle from passkey_user_handles u join accounts a on a.id = u.account_id
                            where lower(a.username) = lower(:u)""")
                    .bind("u", username).mapTo(byte[].class).findOne().map(ByteArray::new));
        }

        @Override
        public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
            return jdbi.withHandle(h -> h.createQuery("""
                            select a.username from passkey_user_handles u join accounts a on a.id = u.account_id
                            where u.user_handle = :h""")
                    .bind("h", userHandle.getBytes()).mapTo(String.class).findOne());
        }

        @Override
        public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
            return jdbi.withHandle(h -> h.createQuery("""
                            select credential_id, user_handle, public_key_cose, signature_count from passkeys
                            where credential_id = :id and user_handle = :h""")
                    .bind("id", credentialId.getBytes()).bind("h", userHandle.getBytes())
                    .map((rs, ctx) -> credential(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4)))
                    .findOne());
        }

        @Override
        public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
            return new HashSet<>(jdbi.withHandle(h -> h.createQuery("""
                            select credential_id, user_handle, public_key_cose, signature_count from passkeys
                            where credential_id = :id""")
                    .bind("id", credentialId.getBytes())
                    .map((rs, ctx) -> credential(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4)))
                    .list()));
        }
    }

    private static PublicKeyCredentialDescriptor descriptor(byte[] id, String[] transports) {
        Set<AuthenticatorTransport> t = Arrays.stream(transports).map(AuthenticatorTransport::of)
                .collect(Collectors.toSet());
        return PublicKeyCredentialDescriptor.builder().id(new ByteArray(id)).transports(t).build();
    }

    private static RegisteredCredential credential(byte[] id, byte[] handle, byte[] cose, long count) {
        return RegisteredCredential.builder().credentialId(new ByteArray(id)).userHandle(new ByteArray(handle))
                .publicKeyCose(new ByteArray(cose)).signatureCount(count).build();
    }
}
