/** Language tags (RFC 5646 / BCP 47) as they cross the wire: playlists, MPDs, the API. */
package dev.kino.protocol.lang;
