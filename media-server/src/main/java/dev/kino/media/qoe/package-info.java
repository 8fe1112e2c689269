/**
 * Quality of experience from CMCD (CTA-5004): the media port captures the raw CMCD of a request and enqueues it
 * ({@link dev.kino.media.qoe.CmcdAggregator#offer}); one aggregator thread parses and folds it into bounded Prometheus
 * series (by bitrate band, device class and object type, never by session or title).
 */
package dev.kino.media.qoe;
