package dev.kino.control.http;

import dev.kino.control.BadRequestException;
import dev.kino.control.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list in a stable order, with an opaque cursor to the next page.
 *
 * <p>Handlers read the request with {@link #request(Request)}, fetch {@code limit + 1} rows after the
 * cursor's position in their order, and build the answer with {@link #of}: the extra row only tells
 * whether there is a next page. Cursors carry the sort key of the last item, sealed with the server's
 * {@link CursorKey} for the list's path: opaque to clients, and a forged or moved one is a 400.
 *
 * @param items the items
 * @param next cursor of the following page, or null on the last
 */
public record Page<T>(List<T> items, String next) {
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;

    /**
     * A parsed {@code ?limit=&cursor=}: how many items are wanted and after which position.
     */
    public static final class Cursor {
        private final int limit;
        private final List<String> after;
        private final CursorKey key;
        private final String path;

        private Cursor(int limit, List<String> after, CursorKey key, String path) {
            this.limit = limit;
            this.after = after;
            this.key = key;
            this.path = path;
        }

        /**
         * A first page for a caller inside the server (no request, no next cursor: the answer's {@code next} is
         * always null).
         *
         * @param limit items wanted, at least 1
         */
        public static Cursor first(int limit) {
            return new Cursor(limit, null, null, null);
        }

        /** @return items wanted */
        public int limit() {
            return limit;
        }

        /** @return the sort key of the last item already seen (the opened cursor's parts), or null on the first page */
        public List<String> after() {
            return after;
        }

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

        String next(List<String> parts) {
            return key == null ? null : key.seal(path, parts);
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
        CursorKey key = req.cursorKey();
        return new Cursor(limit, c == null || c.isEmpty() ? null : key.open(req.path(), c), key, req.path());
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
        return new Page<>(List.copyOf(items), cursor.next(key.apply(items.get(items.size() - 1))));
    }
}
