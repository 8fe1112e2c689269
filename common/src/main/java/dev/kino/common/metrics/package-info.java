/**
 * Metrics in the Prometheus text exposition format (version 0.0.4), shared by the media server and the control API so
 * one way of writing them exists: {@link dev.kino.common.metrics.PrometheusText} writes families and samples,
 * {@link dev.kino.common.metrics.Histogram} and {@link dev.kino.common.metrics.Family} hold lock-free values that
 * event loops update and a scrape reads.
 */
package dev.kino.common.metrics;
