package dev.datahub.release;

/**
 * What one deploy puts on an environment: the image digest, the chart identity and fingerprints of the values.
 * The promotion gate compares bundles, never tag strings.
 */
public record ReleaseBundle(
    String image,
    String imageDigest,
    String chartName,
    String chartVersion,
    String chartDigest,
    String valuesHash,
    String secretValuesHash,
    String sourceCommit) {}
