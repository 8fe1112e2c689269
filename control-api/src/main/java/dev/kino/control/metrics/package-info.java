/**
 * The control API's Prometheus metrics ({@link dev.kino.control.metrics.ApiMetrics}), served on its admin port
 * ({@code control.adminPort}) with the shared writer of {@code dev.kino.common.metrics}.
 */
package dev.kino.control.metrics;
