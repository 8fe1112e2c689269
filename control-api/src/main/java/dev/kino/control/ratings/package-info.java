/**
 * Ratings 1–10 per account and title, with the average, count, distribution and weighted (Bayesian) rating that
 * rankings use ({@link dev.kino.control.ratings.Ratings}, {@link dev.kino.control.ratings.RatingRoutes}).
 */
package dev.kino.control.ratings;
