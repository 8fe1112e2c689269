package dev.kino.app; public final class Main { public static void main(String[] a) {} }
