/** Published files: strict path decoding and resolution under the media root, file types, byte ranges and validators. */
package dev.kino.media.file;
