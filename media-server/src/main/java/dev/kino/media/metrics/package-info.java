/** Media server metrics in the Prometheus text format, and the admin port serving them with health and readiness. */
package dev.kino.media.metrics;
