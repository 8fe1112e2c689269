/** Outgoing mail: a transactional outbox table and pluggable senders (logging by default). */
package dev.kino.control.mail;
