/** What {@code ./kino demo} needs beyond the servers: a generated clip and the demo's first-run setup. */
package dev.kino.app.demo;
