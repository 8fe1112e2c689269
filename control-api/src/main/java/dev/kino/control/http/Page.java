package dev.kino.control.http;

import dev.kino.control.BadRequestException;
import dev.kino.control.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list in a stable order, with an opaque cursor to the next page.
 *
 * <p>Handlers read the request with {@link #request(Request)}, fetch {@code limit + 1} rows after the
 * cursor's position in their order, and build the answer with {@link #of}: the extra row only tells
 * whether there is a next page. Cursors are base64url of the sort key of the last item; clients must
 * treat them as opaque.
 *
 * @param items the items
 * @param next cursor of the following page, or null on the last
 */
public record Page<T>(List<T> items, String next) {
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;

    /**
     * A parsed {@code ?limit=&cursor=}.
     *
     * @param limit items wanted
     * @param after sort key of the last item already seen (decoded cursor parts), or null for the first page
     */
    public record Cursor(int limit, List<String> after) {
        /** @return the number of rows to fetch: one more than the limit */
        public int fetch() {
            return limit + 1;
        }

        /** @return part {@code i} of the cursor as an instant; {@link BadRequestException} when it is not one */
        public java.time.Instant instant(int i) {
            try {
                return java.time.Instant.parse(after.get(i));
            } catch (RuntimeException e) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
        }

        /** @return part {@code i} of the cursor as a UUID; {@link BadRequestException} when it is not one */
        public java.util.UUID uuid(int i) {
            try {
                return java.util.UUID.fromString(after.get(i));
            } catch (RuntimeException e) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
        }
    }

    /**
     * @throws InvalidInputException for a limit out of bounds
     * @throws BadRequestException for a cursor that is not one of ours
     */
    public static Cursor request(Request req) {
        int limit = DEFAULT_LIMIT;
        String l = req.query("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw InvalidInputException.of("limit", "must be an integer from " + MIN_LIMIT + " to " + MAX_LIMIT);
            }
            if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
                throw InvalidInputException.of("limit", "must be an integer from " + MIN_LIMIT + " to " + MAX_LIMIT);
            }
        }
        String c = req.query("cursor");
        return new Cursor(limit, c == null || c.isEmpty() ? null : decode(c));
    }

    /**
     * @param rows up to {@code cursor.fetch()} rows in the list's order
     * @param key the sort key of a row (unique, in the order's columns)
     */
    public static <T> Page<T> of(Cursor cursor, List<T> rows, Function<T, List<String>> key) {
        if (rows.size() <= cursor.limit()) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = new ArrayList<>(rows.subList(0, cursor.limit()));
        return new Page<>(List.copyOf(items), encode(key.apply(items.get(items.size() - 1))));
    }

    /** @return the opaque form of a sort key */
    public static String encode(List<String> parts) {
        StringBuilder sb = new StringBuilder("v1");
        for (String p : parts) {
            if (p.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a cursor part cannot contain a line feed");
            }
            sb.append('\n').append(p);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<String> decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor is not one returned by this API");
        }
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals("v1")) {
            throw new BadRequestException("cursor is not one returned by this API");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            parts.add(lines[i]);
        }
        return List.copyOf(parts);
    }
}
