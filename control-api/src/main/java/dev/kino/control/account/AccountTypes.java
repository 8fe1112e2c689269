package dev.kino.control.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** JSON shapes of the account feature ({@code /me}). */
public final class AccountTypes {
    private AccountTypes() {
    }

    /** What content an account may see. */
    public enum Maturity { kids, family, teen, adult }

    /**
     * @param id account id
     * @param email e-mail
     * @param emailVerified whether the address was confirmed
     * @param username username
     * @param displayName shown name
     * @param avatarUrl https image URL
     * @param bio free text
     * @param preferredAudioLanguages BCP 47 tags, most preferred first
     * @param preferredSubtitleLanguages BCP 47 tags, most preferred first
     * @param maturity content rating limit
     * @param roles role names
     * @param permissions granted permissions
     * @param createdAt registration time
     */
    public record Me(UUID id, String email, boolean emailVerified, String username, String displayName,
                     String avatarUrl, String bio, List<String> preferredAudioLanguages,
                     List<String> preferredSubtitleLanguages, Maturity maturity, List<String> roles,
                     List<String> permissions, Instant createdAt) {
    }

    /** Fields of PATCH /me; absent fields are unchanged, null clears a text field. */
    public record MePatch(String displayName, String avatarUrl, String bio, List<String> preferredAudioLanguages,
                          List<String> preferredSubtitleLanguages, Maturity maturity) {
    }
}
