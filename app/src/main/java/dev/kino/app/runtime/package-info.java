/** Start-up of a Kino process: configuration, logging, secrets, and the services' lifecycle. */
package dev.kino.app.runtime;
