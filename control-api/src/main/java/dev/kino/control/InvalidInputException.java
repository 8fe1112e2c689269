package dev.kino.control;

import java.util.List;

/**
 * Some fields of the input are invalid; every invalid field is listed at once (collect them with
 * {@link Validation}). HTTP: 422 {@code validation} with the fields in the problem's {@code errors}.
 */
public class InvalidInputException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    /** @param errors the invalid fields, at least one */
    public InvalidInputException(List<FieldError> errors) {
        super(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    /**
     * Input that is invalid as a whole rather than field by field (a file whose checksum does not match).
     *
     * @param message what is wrong
     */
    public InvalidInputException(String message) {
        super(message);
        this.errors = List.of();
    }

    /** @return an exception for one invalid field */
    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }

    /** @return the invalid fields; empty when the input is invalid as a whole */
    public List<FieldError> errors() {
        return errors;
    }
}
