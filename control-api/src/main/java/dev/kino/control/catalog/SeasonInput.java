package dev.kino.control.catalog;

import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;

/**
 * A season to create (or rename when the number exists).
 *
 * @param number season number, 0 (specials) to 10000
 * @param name optional name, up to 500 characters
 */
public record SeasonInput(Integer number, String name) {
    /** @throws InvalidInputException listing every invalid field */
    public SeasonInput validate() {
        Validation v = new Validation();
        v.check("number", number != null && number >= 0 && number <= 10_000, "must be 0 to 10000");
        if (name != null) {
            v.check("name", !name.isBlank() && name.length() <= 500, "must be 1 to 500 characters");
        }
        v.throwIfInvalid();
        return this;
    }
}
