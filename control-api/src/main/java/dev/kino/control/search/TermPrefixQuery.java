package dev.kino.control.search;

import org.apache.lucene.index.FilteredTermsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

import java.io.IOException;
import java.util.Objects;

/**
 * The terms of a field that begin with a prefix: the matches of Lucene's {@link PrefixQuery} (and its default
 * rewrite, {@link MultiTermQuery#CONSTANT_SCORE_BLENDED_REWRITE}), found by seeking to the prefix and reading terms
 * until one no longer begins with it (in term order they are all together), as Lucene's {@code PrefixTermsEnum}
 * did before prefixes became automata.
 *
 * <p>Why: {@link PrefixQuery} builds and compiles an automaton (a byte run table per state) when it is constructed,
 * and the search builds a new query for every request and every pass (without typos, with them, relaxed): that was
 * 4 % of a search's CPU time and 5 % of its allocation in the profile ({@code control-api/BENCHMARK.md}, round
 * {@code search6}), for a prefix the terms dictionary can seek to directly.
 */
final class TermPrefixQuery extends MultiTermQuery {
    private final Term prefix;

    /** @param prefix the field and the prefix (its UTF-8 bytes are compared) */
    TermPrefixQuery(Term prefix) {
        super(prefix.field(), CONSTANT_SCORE_BLENDED_REWRITE);
        this.prefix = prefix;
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
        BytesRef p = prefix.bytes();
        if (p.length == 0) {
            return terms.iterator();
        }
        return new FilteredTermsEnum(terms.iterator()) {
            {
                setInitialSeekTerm(p);
            }

            @Override
            protected AcceptStatus accept(BytesRef term) {
                return StringHelper.startsWith(term, p) ? AcceptStatus.YES : AcceptStatus.END;
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.visitLeaf(this);
        }
    }

    @Override
    public String toString(String f) {
        return (Objects.equals(f, field) ? "" : field + ":") + prefix.text() + "*";
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && prefix.equals(((TermPrefixQuery) o).prefix);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + prefix.hashCode();
    }
}
