package io.sluice.cli;
/** Entry point of the sluice command. */
public final class Main { private Main() {} public static void main(String[] args) { } }
