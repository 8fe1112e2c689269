/**
 * The packaging job queue in PostgreSQL ({@code FOR UPDATE SKIP LOCKED} claims, renewable leases,
 * attempts), the workers that run jobs by calling the packager ({@link dev.kino.packager.job.PackagingRunner})
 * with a cancellation signal, and the job routes (progress, log, cancel, retry).
 */
package dev.kino.control.jobs;
