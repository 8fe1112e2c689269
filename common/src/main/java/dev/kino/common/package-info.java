/** What every Kino process shares at run time: configuration, secrets and cross-node state. */
package dev.kino.common;
