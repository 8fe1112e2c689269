/** The {@code ./kino} command: one launcher for every Kino process, alone or all in one JVM. */
package dev.kino.app;
