package dev.kino.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid field of an input so the client learns all of them at once; used by the input records'
 * checks, by stores and by routes alike (it knows nothing of HTTP).
 *
 * <pre>{@code
 * Validation v = new Validation();
 * v.check("bio", bio.length() <= 2000, "must be at most 2000 characters");
 * v.throwIfInvalid();
 * }</pre>
 */
public final class Validation {
    private final List<FieldError> errors = new ArrayList<>();

    /** Records {@code message} for {@code field} unless {@code ok}. @return ok */
    public boolean check(String field, boolean ok, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
        return ok;
    }

    /** Records that a required field is missing or blank. @return true when present */
    public boolean required(String field, String value) {
        return check(field, value != null && !value.isBlank(), "is required");
    }

    public void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** @throws InvalidInputException listing every recorded field, if any */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
