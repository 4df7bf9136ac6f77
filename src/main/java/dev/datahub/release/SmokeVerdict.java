package dev.datahub.release;

/**
 * What a smoke test run says, as recorded: passed or not, the image it saw in the single-user server, and the hub it
 * really tested.
 */
public record SmokeVerdict(boolean passed, String observedImageDigest, String hubUrl, String summary) {}
