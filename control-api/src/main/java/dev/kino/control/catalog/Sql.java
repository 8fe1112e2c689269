package dev.kino.control.catalog;

import java.sql.Array;
import java.sql.SQLException;
import java.util.List;

/** Column conversions shared by the catalogue's stores. */
final class Sql {
    private Sql() {
    }

    /** @return a {@code text[]} column as a list, empty for null */
    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** @return a list as a {@code text[]} parameter without duplicates, empty for null */
    static String[] array(List<String> list) {
        return list == null ? new String[0] : list.stream().distinct().toArray(String[]::new);
    }
}
