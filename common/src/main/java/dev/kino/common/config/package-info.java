/**
 * The one typed configuration: shipped defaults, an optional file, environment variables and
 * command-line flags, validated at start-up into immutable records ({@link dev.kino.common.config.KinoConfig}).
 */
package dev.kino.common.config;
