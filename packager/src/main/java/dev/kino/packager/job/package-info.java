/**
 * A packaging job's request, progress and result, used by the control API's queue through
 * {@link dev.kino.packager.Packager}.
 */
package dev.kino.packager.job;
