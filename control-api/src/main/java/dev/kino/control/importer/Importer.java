package dev.kino.control.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the titles of a document into the catalogue, idempotently: a title already imported under
 * the same (source, external id) is updated in place, keeping ids it got from other sources. All
 * entries of one document are imported in one transaction, through the catalogue's API ({@link Catalog}).
 */
public final class Importer {
    private final Catalog catalog;

    public Importer(Catalog catalog) {
        this.catalog = catalog;
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
     * @throws InvalidInputException when the document has no entry or an entry lacks its id or title
     * @throws ConflictException when a title would take an external id another title has
     */
    public Results run(ImportSource source, JsonNode doc) {
        List<ImportSource.Entry> entries;
        try {
            entries = source.read(doc);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("body", "not a " + source.wire() + " document: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw InvalidInputException.of("body", "no " + source.wire() + " entry found in the document");
        }
        return catalog.inTransaction(h -> {
            List<Result> out = new ArrayList<>();
            for (ImportSource.Entry e : entries) {
                String ext = e.title().externalIds().get(source.wire());
                Optional<UUID> existing = catalog.findByExternalId(h, source.wire(), ext);
                UUID id;
                if (existing.isPresent()) {
                    id = existing.get();
                    Map<String, String> ids = new HashMap<>(catalog.externalIds(h, id));
                    e.title().externalIds().forEach(ids::putIfAbsent);
                    catalog.replaceTitle(h, id, e.title().withExternalIds(ids));
                } else {
                    Map<String, String> ids = new HashMap<>(e.title().externalIds());
                    // a cross id (AniList's idMal) already owned by another title is not claimed twice
                    ids.entrySet().removeIf(x -> !x.getKey().equals(source.wire())
                            && catalog.findByExternalId(h, x.getKey(), x.getValue()).isPresent());
                    id = catalog.createTitle(h, e.title().withExternalIds(ids));
                }
                for (ImportSource.Season s : e.seasons()) {
                    catalog.ensureSeason(h, id, s.number(), s.name());
                }
                out.add(new Result(id, e.externalId(), existing.isEmpty()));
            }
            return new Results(source.wire(), out);
        });
    }
}
