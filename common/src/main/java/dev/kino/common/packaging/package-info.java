/**
 * What a packaging run is asked to do, as values shared by the configuration ({@code packager.*}), the packager,
 * the control API's job queue and the launcher: {@link dev.kino.common.packaging.Protection},
 * {@link dev.kino.common.packaging.X264Preset}, {@link dev.kino.common.packaging.VerificationDepth} and
 * {@link dev.kino.common.packaging.WorkerIsolation}. Each has one
 * wire name, used in {@code kino.yaml}, on the command line, in the API and in the database.
 */
package dev.kino.common.packaging;
