/** Source video → ABR ladder → CMAF for HLS and DASH, encrypted; runs FFmpeg in-process through JavaCPP. */
package dev.kino.packager;
