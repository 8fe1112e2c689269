/**
 * The packaging job queue in PostgreSQL ({@code FOR UPDATE SKIP LOCKED} claims, renewable leases,
 * attempts), the workers that run jobs through a {@link dev.kino.control.jobs.PackagingService}, and
 * the job routes (progress, log, cancel, retry).
 */
package dev.kino.control.jobs;
