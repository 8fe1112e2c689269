package dev.kino.control.ratings;

import java.util.List;

/** JSON shapes of the ratings feature. */
public final class RatingTypes {
    private RatingTypes() {
    }

    /** @param score 1 to 10 */
    public record RatingInput(Integer score) {
    }

    /**
     * A title's ratings.
     *
     * @param count votes
     * @param average mean score, absent without votes
     * @param weighted weighted (Bayesian) rating: the average pulled towards the mean of every vote on every title,
     *                 the less so the more votes the title has; what "top rated" sorts by
     * @param distribution votes per score: element 0 counts the 1s, element 9 the 10s
     * @param mine the caller's score, absent for none or a guest
     */
    public record RatingSummary(int count, Double average, double weighted, List<Integer> distribution, Integer mine) {
    }
}
