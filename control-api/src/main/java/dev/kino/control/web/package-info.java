/** The web app (catalogue, player, account and admin pages) served as static files by the control API. */
package dev.kino.control.web;
