package io.sluice.domino.emulator;

/** One file of a commit: the key of its blob (SHA-1 of the content), its size and when it last changed. */
record FileEntry(String key, long size, long lastModified) {}
