package dev.kino.control.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** JSON shapes of the account feature ({@code /me}). */
public final class AccountTypes {
    private AccountTypes() {
    }

    /** What content an account may see, from the strictest; each allows titles up to a minimum age. */
    public enum Maturity {
        kids(7), family(10), teen(13), adult(99);

        private final int maxAge;

        Maturity(int maxAge) {
            this.maxAge = maxAge;
        }

        /** @return the highest minimum age (in years) of a title this setting allows */
        public int maxAge() {
            return maxAge;
        }

        /**
         * @param column an {@code accounts.maturity} value
         * @return the setting that allows the same as it: the strictest one allowing its maximum age ({@code all} and
         *         unknown values of older rows read as what {@link #maxAgeOf} makes of them)
         */
        public static Maturity of(String column) {
            int age = maxAgeOf(column);
            for (Maturity m : values()) {
                if (m.maxAge >= age) {
                    return m;
                }
            }
            return adult;
        }

        /**
         * Reads an {@code accounts.maturity} value as the highest minimum age it may watch: the four settings,
         * {@code all} (no restriction, what older rows and tests hold) and {@code N+}; anything else allows only
         * all-ages titles, erring on the safe side.
         *
         * @param column the column value, may be null
         * @return 0 to 99
         */
        public static int maxAgeOf(String column) {
            if (column == null) {
                return 0;
            }
            String m = column.trim().toLowerCase(java.util.Locale.ROOT);
            if (m.equals("all")) {
                return adult.maxAge;
            }
            for (Maturity v : values()) {
                if (v.name().equals(m)) {
                    return v.maxAge;
                }
            }
            if (m.equals("children")) {
                return kids.maxAge;
            }
            return m.matches("\\d{1,2}\\+?") ? Integer.parseInt(m.replace("+", "")) : 0;
        }
    }

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
     * @param showActivity whether the public profile shows what the account rated
     * @param deletion the account's scheduled deletion, or absent when none is scheduled
     */
    public record Me(UUID id, String email, boolean emailVerified, String username, String displayName,
                     String avatarUrl, String bio, List<String> preferredAudioLanguages,
                     List<String> preferredSubtitleLanguages, Maturity maturity, List<String> roles,
                     List<String> permissions, Instant createdAt, boolean showActivity, Deletion deletion) {
    }

    /**
     * A deletion the account asked for ({@code DELETE /api/v1/me}) that has not taken effect yet.
     *
     * @param requestedAt when it was asked for
     * @param deletionScheduledAt when it takes effect: from then on the account is erased (its personal data removed,
     *                            its public content shown as "deleted user")
     * @param cancel how to keep the account: {@code POST /api/v1/me/deletion/cancel} (signing in again cancels it too)
     */
    public record Deletion(Instant requestedAt, Instant deletionScheduledAt, String cancel) {
        /** The route that cancels a scheduled deletion. */
        public static final String CANCEL = "POST /api/v1/me/deletion/cancel";
    }

    /** Fields of PATCH /me; absent fields are unchanged, null clears a text field. */
    public record MePatch(String displayName, String avatarUrl, String bio, List<String> preferredAudioLanguages,
                          List<String> preferredSubtitleLanguages, Maturity maturity, Boolean showActivity) {
    }
}
