package dev.kino.control;

/**
 * One invalid field of a request, listed by an {@link InvalidInputException} (a 422 problem's {@code errors}).
 *
 * @param field JSON path of the field ({@code email}, {@code preferredAudioLanguages[1]})
 * @param message what is wrong, for people
 */
public record FieldError(String field, String message) {
}
