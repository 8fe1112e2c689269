package dev.kino.control.search;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Objects;

/**
 * A query's scores multiplied by each title's ranking boost (the {@code boost} double doc values, between 1 and
 * {@link #MAX_FACTOR}, {@link SearchIndex#boost}).
 *
 * <p>Why not Lucene's {@code FunctionScoreQuery.boostByValue}: its scorer reports an infinite maximum score, so a
 * top-k search must score every match (for a three-letter suggestion, tens of thousands of titles). This one reports
 * the inner maximum times {@link #MAX_FACTOR} and passes a minimum competitive score on divided by it, so the
 * constant-score tiers below it skip whatever can no longer enter the top k (block-max WAND, Lucene's "top scores"
 * mode).
 */
final class RankingBoostQuery extends Query {
    /** Largest ranking boost ({@link SearchIndex#boost} is 1 + 0.1 + 0.1 at most), rounded up. */
    static final float MAX_FACTOR = Math.nextUp(1.2f);

    private final Query in;
    private final String field;

    RankingBoostQuery(Query in, String field) {
        this.in = in;
        this.field = field;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query r = in.rewrite(searcher);
        return r == in ? this : new RankingBoostQuery(r, field);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight inner = in.createWeight(searcher, scoreMode, boost);
        if (!scoreMode.needsScores()) {
            return inner;
        }
        return new Weight(this) {
            @Override
            public Explanation explain(LeafReaderContext ctx, int doc) throws IOException {
                Explanation e = inner.explain(ctx, doc);
                if (!e.isMatch()) {
                    return e;
                }
                double f = factor(ctx.reader().getNumericDocValues(field), doc);
                return Explanation.match((float) (e.getValue().floatValue() * f), "ranking boost " + f + " of:", e);
            }

            @Override
            public Scorer scorer(LeafReaderContext ctx) throws IOException {
                Scorer s = inner.scorer(ctx);
                if (s == null) {
                    return null;
                }
                NumericDocValues values = ctx.reader().getNumericDocValues(field);
                return new Scorer(this) {
                    @Override
                    public float score() throws IOException {
                        return (float) (s.score() * factor(values, s.docID()));
                    }

                    @Override
                    public int docID() {
                        return s.docID();
                    }

                    @Override
                    public DocIdSetIterator iterator() {
                        return s.iterator();
                    }

                    @Override
                    public TwoPhaseIterator twoPhaseIterator() {
                        return s.twoPhaseIterator();
                    }

                    @Override
                    public int advanceShallow(int target) throws IOException {
                        return s.advanceShallow(target);
                    }

                    @Override
                    public float getMaxScore(int upTo) throws IOException {
                        return s.getMaxScore(upTo) * MAX_FACTOR;
                    }

                    @Override
                    public void setMinCompetitiveScore(float minScore) throws IOException {
                        s.setMinCompetitiveScore(minScore / MAX_FACTOR);
                    }
                };
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false; // the boosts change with plays and votes (doc-values updates)
            }
        };
    }

    private static double factor(NumericDocValues values, int doc) throws IOException {
        // documents arrive in increasing order (advanceExact accepts the current one again)
        return values != null && values.advanceExact(doc) ? Double.longBitsToDouble(values.longValue()) : 1;
    }

    @Override
    public void visit(QueryVisitor visitor) {
        in.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String f) {
        return "boost(" + in.toString(f) + ", " + field + ")";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && in.equals(((RankingBoostQuery) o).in) && field.equals(((RankingBoostQuery) o).field);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), in, field);
    }
}
