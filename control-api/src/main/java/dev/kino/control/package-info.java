/** The control API: accounts, authentication and (later) the catalogue, served as JSON over Netty. */
package dev.kino.control;
