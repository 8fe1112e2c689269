/**
 * The JSON HTTP runtime: a Netty server, a router of method + path templates, RFC 9457 problem
 * responses, cursor pagination and an OpenAPI document generated from the route table.
 */
package dev.kino.control.http;
