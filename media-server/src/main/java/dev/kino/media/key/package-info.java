/** Content keys for players: the HLS AES-128 key endpoint and the ClearKey licence endpoint, from each title's wrapped-key file. */
package dev.kino.media.key;
