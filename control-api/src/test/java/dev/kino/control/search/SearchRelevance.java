package dev.kino.control.search;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kino.control.catalog.SearchableTitle;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Json;
import dev.kino.control.http.Page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The relevance set: a fixture catalogue ({@code search/relevance-catalogue.json}: 71 titles named in Ukrainian,
 * English, Russian and Japanese kana/kanji with romaji, French, Korean) and queries with their expected titles
 * ({@code search/relevance-queries.tsv}: class, query, expected keys), run through {@link TitleSearch} over its real
 * index. Prints success@1 and success@3 per class and overall.
 *
 * <pre>
 * ./mvnw -B -o test -pl control-api -Dtest=SearchRelevanceTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
public final class SearchRelevance {
    /** One query's outcome. */
    public record Outcome(String kind, String query, Set<String> expected, List<String> top, int rank) {
        boolean at(int k) {
            return rank >= 1 && rank <= k;
        }
    }

    /** Success rates of a class. */
    public record Rates(int queries, double at1, double at3) {
    }

    private record Fixture(String key, String kind, Integer year, List<String> genres, List<String> tags,
                           Map<String, String> names, Map<String, String> synopses, long popularity,
                           String originalLanguage) {
    }

    private SearchRelevance() {
    }

    /** @return every query's outcome, in file order */
    public static List<Outcome> run() {
        List<Fixture> fixtures = read("relevance-catalogue.json", new TypeReference<List<Fixture>>() { });
        Map<UUID, String> keyOf = new LinkedHashMap<>();
        List<SearchableTitle> titles = new ArrayList<>();
        for (Fixture f : fixtures) {
            UUID id = UUID.nameUUIDFromBytes(f.key().getBytes(StandardCharsets.UTF_8));
            keyOf.put(id, f.key());
            String original = f.names().get(f.originalLanguage());
            Map<String, String> names = new LinkedHashMap<>(f.names());
            names.remove(f.originalLanguage());
            titles.add(new SearchableTitle(id, f.kind(), original, f.originalLanguage(), names, f.synopses(), f.year(),
                    0, f.genres(), f.tags(), List.of(), List.of(), f.popularity(), 0, 0, true, Set.of("ja"), Set.of("en"),
                    Set.of("ja"), Set.of("en"), Instant.EPOCH));
        }
        List<Outcome> out = new ArrayList<>();
        try (TitleSearch search = new TitleSearch(null, Duration.ZERO)) {
            search.load(titles, 0);
            Viewer viewer = new Viewer(UUID.randomUUID(), Set.of("catalog.read"), 21);
            for (String line : new String(bytes("relevance-queries.tsv"), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                Set<String> expected = new TreeSet<>(List.of(parts[2].trim().split(",")));
                var hits = search.search(new TitleSearch.Request(parts[1], null, null, null, null, null), viewer,
                        Page.Cursor.first(10)).hits();
                List<String> top = hits.stream().map(h -> keyOf.get(h.id())).toList();
                int rank = 0;
                for (int i = 0; i < top.size(); i++) {
                    if (expected.contains(top.get(i))) {
                        rank = i + 1;
                        break;
                    }
                }
                out.add(new Outcome(parts[0], parts[1], expected, top, rank));
            }
        }
        return out;
    }

    /** @return success rates by class, plus {@code overall} */
    public static Map<String, Rates> rates(List<Outcome> outcomes) {
        Map<String, List<Outcome>> byClass = new LinkedHashMap<>();
        outcomes.forEach(o -> byClass.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o));
        byClass.put("overall", outcomes);
        Map<String, Rates> rates = new LinkedHashMap<>();
        byClass.forEach((k, list) -> rates.put(k, new Rates(list.size(),
                list.stream().filter(o -> o.at(1)).count() / (double) list.size(),
                list.stream().filter(o -> o.at(3)).count() / (double) list.size())));
        return rates;
    }

    /** @return the table the command prints, with the misses (not in the top 3) after it */
    public static String report(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder(String.format("%-14s %7s %10s %10s%n", "class", "queries", "success@1", "success@3"));
        rates(outcomes).forEach((k, r) -> sb.append(String.format("%-14s %7d %10.3f %10.3f%n", k, r.queries(), r.at1(), r.at3())));
        for (Outcome o : outcomes) {
            if (!o.at(3)) {
                sb.append(String.format("miss [%s] %s → expected %s, got %s%n", o.kind(), o.query(), o.expected(),
                        o.top().subList(0, Math.min(3, o.top().size()))));
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.out.print(report(run()));
    }

    private static <T> T read(String name, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(bytes(name), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String name) {
        try (InputStream in = SearchRelevance.class.getResourceAsStream("/search/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource search/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
