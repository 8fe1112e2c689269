package dev.kino.control.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.catalog.CatalogStore;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.http.ApiException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the titles of a document into the catalogue, idempotently: a title already imported under
 * the same (source, external id) is updated in place, keeping ids it got from other sources. All
 * entries of one document are imported in one transaction.
 */
public final class Importer {
    private final CatalogStore store;

    public Importer(CatalogStore store) {
        this.store = store;
    }

    /**
     * @param titleId the title
     * @param externalId its id in the source
     * @param created true when new, false when updated
     */
    public record Result(UUID titleId, String externalId, boolean created) {
    }

    /**
     * @param source the source's name
     * @param results one per entry of the document, in its order
     */
    public record Results(String source, List<Result> results) {
    }

    /**
     * @throws ApiException 422 when the document has no entry or an entry lacks its id or title
     */
    public Results run(ImportSource source, JsonNode doc) {
        List<ImportSource.Entry> entries;
        try {
            entries = source.read(doc);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("body", "not a " + source.wire() + " document: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw ApiException.invalid("body", "no " + source.wire() + " entry found in the document");
        }
        return store.jdbi().inTransaction(h -> {
            List<Result> out = new ArrayList<>();
            for (ImportSource.Entry e : entries) {
                String ext = e.title().externalIds().get(source.wire());
                Optional<UUID> existing = store.findByExternalId(h, source.wire(), ext);
                UUID id;
                if (existing.isPresent()) {
                    id = existing.get();
                    Map<String, String> ids = new HashMap<>();
                    h.createQuery("select source, external_id from title_external_ids where title_id = :id").bind("id", id)
                            .map((rs, ctx) -> ids.put(rs.getString(1), rs.getString(2))).list();
                    e.title().externalIds().forEach(ids::putIfAbsent);
                    TitleInput t = e.title();
                    store.updateTitle(h, id, new TitleInput(t.kind(), t.originalTitle(), t.originalLanguage(), t.titles(),
                            t.synopses(), t.year(), t.ageRating(), t.genres(), t.tags(), t.studios(), ids));
                } else {
                    Map<String, String> ids = new HashMap<>(e.title().externalIds());
                    // a cross id (AniList's idMal) already owned by another title is not claimed twice
                    ids.entrySet().removeIf(x -> !x.getKey().equals(source.wire())
                            && store.findByExternalId(h, x.getKey(), x.getValue()).isPresent());
                    TitleInput t = e.title();
                    id = store.createTitle(h, new TitleInput(t.kind(), t.originalTitle(), t.originalLanguage(), t.titles(),
                            t.synopses(), t.year(), t.ageRating(), t.genres(), t.tags(), t.studios(), ids));
                }
                for (ImportSource.Season s : e.seasons()) {
                    store.ensureSeason(h, id, s.number(), s.name());
                }
                out.add(new Result(id, e.externalId(), existing.isEmpty()));
            }
            return new Results(source.wire(), out);
        });
    }
}
