package dev.kino.control.search;

import dev.kino.control.BadRequestException;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.CatalogFields;
import dev.kino.control.catalog.TitleSummary;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.comments.CommentStore;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.http.Page;
import dev.kino.control.search.SearchTypes.ForumHit;
import dev.kino.control.search.SearchTypes.ForumResults;
import dev.kino.control.search.SearchTypes.Highlight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Search over forum posts and comments: PostgreSQL full-text search through the forum's and the comments' stores
 * ({@link ForumStore#search}, {@link CommentStore#search}: visible posts and comments only), merged by rank, and
 * only those about titles the viewer may see (published, within the viewer's maturity; posts of threads about no
 * title are for everyone).
 */
public final class ForumSearch {
    /** Hits reachable through cursors. */
    public static final int MAX_RESULTS = 200;

    private final ForumStore forum;
    private final CommentStore comments;
    private final Catalog catalog;

    public ForumSearch(ForumStore forum, CommentStore comments, Catalog catalog) {
        this.forum = forum;
        this.comments = comments;
        this.catalog = catalog;
    }

    private record Candidate(ForumHit hit, double rank) {
    }

    /**
     * @param text the query, at most {@value TitleSearch#MAX_QUERY_LENGTH} characters; blank finds nothing
     * @return one page of posts and comments, best first
     * @throws BadRequestException for a query too long or with control characters, or a cursor not for this query
     */
    public ForumResults search(String text, Viewer viewer, Page.Cursor cursor) {
        String q = TitleSearch.checkQuery(text);
        String fingerprint = Integer.toHexString(Objects.hash("forum", q));
        int offset = 0;
        if (cursor.after() != null) {
            List<String> a = cursor.after();
            if (a.size() != 2 || !a.get(0).equals(fingerprint)) {
                throw new BadRequestException("cursor is not one returned by this API for this query");
            }
            try {
                offset = Integer.parseInt(a.get(1));
            } catch (NumberFormatException e) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
            if (offset < 0 || offset > MAX_RESULTS) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
        }
        ParsedQuery parsed = ParsedQuery.of(q, false);
        if (parsed.isEmpty()) {
            return new ForumResults(List.of(), null);
        }
        // the words only, as text: plainto_tsquery gets no operator the user typed
        String words = String.join(" ", SearchText.words(parsed.folded()));
        int n = Math.min(offset + cursor.fetch(), MAX_RESULTS + 1) * 2;
        List<Candidate> all = new ArrayList<>();
        for (ForumStore.PostMatch p : forum.search(words, n)) {
            all.add(new Candidate(new ForumHit("post", p.id(), p.threadId(), p.titleId(), p.subject(),
                    excerpt(p.body(), parsed), p.createdAt()), p.rank()));
        }
        for (CommentStore.CommentMatch c : comments.search(words, n)) {
            all.add(new Candidate(new ForumHit("comment", c.id(), null, c.titleId(), null, excerpt(c.body(), parsed),
                    c.createdAt()), c.rank()));
        }
        List<UUID> titleIds = all.stream().map(c -> c.hit().titleId()).filter(Objects::nonNull).distinct().toList();
        Map<UUID, TitleSummary> visible = catalog.visibleTitles(titleIds, viewer.can(Viewer.CATALOG_WRITE));
        List<Candidate> allowed = all.stream()
                .filter(c -> c.hit().titleId() == null || (visible.containsKey(c.hit().titleId())
                        && CatalogFields.minAge(visible.get(c.hit().titleId()).ageRating()) <= viewer.maxAge()))
                .sorted(Comparator.comparingDouble(Candidate::rank).reversed()
                        .thenComparing(c -> c.hit().createdAt(), Comparator.<Instant>reverseOrder())
                        .thenComparing(c -> c.hit().id()))
                .limit(MAX_RESULTS)
                .toList();
        List<ForumHit> rows = new ArrayList<>();
        Map<ForumHit, Integer> position = new IdentityHashMap<>();
        for (int i = offset; i < allowed.size() && rows.size() < cursor.fetch(); i++) {
            rows.add(allowed.get(i).hit());
            position.put(allowed.get(i).hit(), i + 1);
        }
        Page<ForumHit> page = Page.of(cursor, rows, h -> List.of(fingerprint, Integer.toString(position.get(h))));
        return new ForumResults(page.items(), page.next());
    }

    private static Highlight excerpt(String body, ParsedQuery q) {
        Highlight h = Highlighter.excerpt("body", body, q, 200);
        if (h != null) {
            return h;
        }
        return new Highlight("body", body.length() <= 200 ? body : body.substring(0, 200) + "…", List.of());
    }
}
