package dev.kino.control.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordTest {
    private final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void hashCarriesItsParametersAndVerifies() {
        PasswordHasher hasher = new PasswordHasher(PasswordHasher.Params.DEFAULT);
        String hash = hasher.hash("a long enough passphrase");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        String[] parts = hash.split("\\$");
        assertEquals(22, parts[4].length(), "16-byte salt in unpadded base64");
        assertEquals(PasswordHasher.Params.DEFAULT, PasswordHasher.paramsOf(hash));
        assertTrue(hasher.verify("a long enough passphrase", hash));
        assertFalse(hasher.verify("a long enough passphrasf", hash));
        assertNotEquals(hash, hasher.hash("a long enough passphrase"), "fresh salt each time");
    }

    @Test
    void weakerHashesNeedRehashButStillVerify() {
        PasswordHasher old = new PasswordHasher(PasswordHasher.Params.FAST_INSECURE);
        PasswordHasher current = new PasswordHasher(new PasswordHasher.Params(128, 2, 1));
        String hash = old.hash("another passphrase here");
        assertTrue(current.verify("another passphrase here", hash));
        assertTrue(current.needsRehash(hash));
        assertFalse(current.needsRehash(current.hash("x")));
        assertFalse(current.verify("x", "$argon2id$garbage"));
    }

    @Test
    void policyRequiresLength() {
        assertEquals(java.util.List.of("must be at least 10 characters"), policy.problems("Xk3#pq-Lm", null, null));
        assertEquals(1, policy.problems("Xk3#pq", null, null).size());
        assertTrue(policy.problems("Xk3#pq-Lm9z", null, null).isEmpty());
    }

    @Test
    void policyRejectsCommonPasswordsCaseInsensitively() {
        assertTrue(policy.commonCount() >= 10_000, "ships about 10k common passwords");
        assertTrue(policy.problems("password123", null, null).stream().anyMatch(p -> p.contains("common")));
        assertTrue(policy.problems("QwertyUiop", null, null).stream().anyMatch(p -> p.contains("common")));
        assertTrue(policy.problems("1234567890", null, null).stream().anyMatch(p -> p.contains("common")));
    }

    @Test
    void policyRejectsUsernameAndEmailLocalPart() {
        assertTrue(policy.problems("my-Moviefan-secret", "moviefan", "x@example.org").stream()
                .anyMatch(p -> p.contains("username")));
        assertTrue(policy.problems("ilove-jane.doe-42", "someone", "Jane.Doe@example.org").stream()
                .anyMatch(p -> p.contains("e-mail")));
    }

    @Test
    void policyBoundsLength() {
        assertTrue(policy.problems("x".repeat(257), null, null).stream().anyMatch(p -> p.contains("at most")));
    }
}
