/**
 * Recommendations: shelves for the home page ("Recommended for you", "Because you watched X", "Trending", "Top rated
 * in a genre"), "Similar titles" on the title page, taste picks for new accounts, and the offline evaluation.
 *
 * <p>The model is pure code with no database ({@link dev.kino.control.recommend.Interactions},
 * {@link dev.kino.control.recommend.ItemSimilarity}, {@link dev.kino.control.recommend.ContentSimilarity},
 * {@link dev.kino.control.recommend.Blend}), trained by the background
 * {@link dev.kino.control.recommend.RecommendJob} from the signals other features own (read through their APIs) and
 * by {@link dev.kino.control.recommend.Evaluation} from a CSV file. The job stores its results through
 * {@link dev.kino.control.recommend.RecommendStore}; the routes ({@link dev.kino.control.recommend.RecommendRoutes})
 * read them through {@link dev.kino.control.recommend.Recommendations}, which filters per caller. See
 * {@code control-api/RECOMMENDATIONS.md}.
 */
package dev.kino.control.recommend;
